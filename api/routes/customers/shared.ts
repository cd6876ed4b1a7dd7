import { problemResponses } from '../../schemas';

export const READERS = { auth: { roles: ['ops', 'finance'] as const } };
export const errors = problemResponses(400, 401, 403, 404);
/** Order statuses after which nothing more happens to the order. */
export { FINAL_ORDER_STATUSES } from '../../../domain/statuses';
