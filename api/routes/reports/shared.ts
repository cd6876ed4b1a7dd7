import { Prisma } from '../../../lib/db';

const OPEN_STATUSES = ['issued', 'sent', 'partially_paid', 'overdue'];
/** The invoice statuses with an open balance, as a SQL list. */
export const OPEN = Prisma.join(OPEN_STATUSES);
