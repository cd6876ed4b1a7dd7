/** Updates of the return workflow; imported by the workflow and the API. Each answers the run's state. */
import { defineUpdate } from '@temporalio/workflow';
import type { RunState } from '../engine/state';
import type { ReturnApproval, ReturnInspection, ReturnReceipt } from '../../activities/returns/types';

/** Ops approve or reject a return waiting in `approve-return` (value above the auto-approval limit). */
export const approveReturn = defineUpdate<RunState, [ReturnApproval]>('approveReturn');

/** The returned parcel arrived at a warehouse (`await-receipt`). */
export const receiveReturn = defineUpdate<RunState, [ReturnReceipt]>('receiveReturn');

/** The inspection's outcome per line (`inspect-return`): restocked and scrapped units. */
export const inspectReturn = defineUpdate<RunState, [ReturnInspection]>('inspectReturn');
