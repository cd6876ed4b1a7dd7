/**
 * Returns (RMA): CRM or ops open a return for a delivered order; ops approve it (when above the
 * auto-approval limit), receive it and record the inspection; finance reads the credit memos.
 * Lists come from the return and credit memo rows the workflows keep current.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../app';
import { returnIdSchema } from '../../schemas';
import { registerStepDecisionRoutes } from '../step-decisions';
import { registerReturnActions } from './actions';
import { registerCreditMemoList } from './credit-memos';
import { registerReturnDetail, registerReturnList } from './reads';
import { registerReturnRequest } from './request';

export const returnRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  registerReturnRequest(app, deps);
  registerReturnList(app, deps);
  registerReturnDetail(app, deps);
  registerReturnActions(app, deps);
  // Ops unstick a return's steps here; the /orders step routes refuse return ids.
  registerStepDecisionRoutes(app, deps, {
    runPath: '/returns/:returnId',
    idParam: 'returnId',
    idSchema: returnIdSchema,
    roles: ['ops'],
    tag: 'returns',
    summaries: {
      retry: 'Retry a return step in needs_attention with a fresh retry budget',
      skip: 'Skip a return step in needs_attention (only steps declared skippable; reason required)',
    },
    kinds: ['return'],
    noun: 'returns',
    targetType: 'return',
  });
  registerCreditMemoList(app, deps);
};
