import { Prisma } from '../../../lib/db';
import { OPEN_INVOICE_STATUSES } from '../../../domain/statuses';

/** The invoice statuses with an open balance, as a SQL list. */
export const OPEN = Prisma.join([...OPEN_INVOICE_STATUSES]);
