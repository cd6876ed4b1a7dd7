import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import { useCan } from '../../auth';
import type { CrmDeliveries, OrderView, Timeline } from '../../types';
import { enc } from './permissions';

/**
 * The order and what the key may read beside it. The timeline carries ops' and finance's reasons: a
 * crm key reads the order without it.
 */
export function useOrder(orderId: string) {
  const can = useCan();
  const canTimeline = can('GET /v1/orders/:orderId/timeline');
  const canCrm = can('GET /v1/orders/:orderId/crm-deliveries');
  const order = useQuery({
    queryKey: ['order', orderId],
    queryFn: ({ signal }) => api<OrderView>(`/orders/${enc(orderId)}`, { signal }),
  });
  const timeline = useQuery({
    queryKey: ['order', orderId, 'timeline'],
    queryFn: ({ signal }) => api<Timeline>(`/orders/${enc(orderId)}/timeline`, { signal }),
    enabled: canTimeline,
  });
  const crm = useQuery({
    queryKey: ['order', orderId, 'crm'],
    queryFn: ({ signal }) => api<CrmDeliveries>(`/orders/${enc(orderId)}/crm-deliveries`, { signal }),
    enabled: canCrm,
  });
  return { order, timeline, crm, canTimeline, canCrm };
}
