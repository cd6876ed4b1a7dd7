import { z } from 'zod';
import { invoiceIdSchema } from '../../schemas';

// crm reads an invoice's status and balance with its order (GET /v1/orders/:id), not the invoice itself.
export const READERS = { auth: { roles: ['finance', 'ops'] as const } };
export const FINANCE = { auth: { roles: ['finance'] as const } };
export const invoiceParams = z.object({ invoiceId: invoiceIdSchema });
