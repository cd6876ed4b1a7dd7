export const READERS = { auth: { roles: ['crm', 'ops', 'finance'] as const } };
