import { z } from 'zod';
import { returnIdSchema } from '../../schemas';

export const OPS = { auth: { roles: ['ops'] as const } };
export const RETURN_READERS = { auth: { roles: ['crm', 'ops', 'finance'] as const } };
export const returnParams = z.object({ returnId: returnIdSchema });
