/**
 * Who is signed in: GET /v1/me answers the key's name, role and the exact routes it may call
 * ("METHOD /v1/path/pattern", from the access table the routes themselves use), so the console shows
 * an action only when the API would take it.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from './api';

export interface Me {
  keyId: string;
  name: string;
  role: 'crm' | 'ops' | 'finance' | 'admin' | string;
  permissions: string[];
}

export const ME_QUERY_KEY = ['me'] as const;

export function useMeQuery(enabled: boolean) {
  return useQuery({
    queryKey: ME_QUERY_KEY,
    queryFn: ({ signal }) => api<Me>('/me', { signal }),
    enabled,
    refetchInterval: 60_000,
  });
}

const MeContext = createContext<Me | null>(null);

export function MeProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside a signed-in screen');
  return me;
}

/** `can('POST /v1/orders/:orderId/cancel')`: whether this key may call that route. */
export function useCan(): (permission: string) => boolean {
  const me = useMe();
  return (permission) => me.permissions.includes(permission);
}

/** The sentence shown beside an action this role may not take. */
export function notAllowedReason(me: Me, what: string): string {
  return `Your key (${me.name}, role ${me.role}) may not ${what}.`;
}
