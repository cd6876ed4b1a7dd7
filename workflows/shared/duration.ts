import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';

/** Temporal duration ('30s', '4h', '2 days' or milliseconds) to milliseconds. */
export const durationToMs = (duration: Duration): number => msToNumber(duration);
