import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import type { OrderView } from '../types';
import { ErrorState, Loading } from '../components/States';

export function OrderDetailScreen() {
  const { orderId = '' } = useParams();
  const order = useQuery({ queryKey: ['order', orderId], queryFn: ({ signal }) => api<OrderView>(`/orders/${encodeURIComponent(orderId)}`, { signal }) });
  if (order.isPending) return <Loading what={`order ${orderId}`} />;
  if (order.isError) return <ErrorState error={order.error} what={`order ${orderId}`} onRetry={() => void order.refetch()} />;
  return <h1>Order {order.data.orderId}</h1>;
}
