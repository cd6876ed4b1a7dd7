import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import { returnWarehouseOf } from '../../finance/returns';
import type { ReturnDetail } from '../../finance/types';
import type { OrderView } from '../../types';

/** Where the prepaid label sends the parcel, when the run's state carries the label step's result. */
function labelWarehouse(ret: ReturnDetail): string | undefined {
  const label = ret.workflow?.results?.['book-return-label'] as { toWarehouseId?: string } | undefined;
  return label?.toWarehouseId;
}

/** The receiving warehouse to prefill: from the label, else from the order; `undefined` while the order loads. */
export function useReturnWarehouse(ret: ReturnDetail, isNeeded: boolean): string | undefined {
  const fromLabel = labelWarehouse(ret);
  const order = useQuery({
    queryKey: ['order', ret.orderId],
    queryFn: ({ signal }) => api<OrderView>(`/orders/${encodeURIComponent(ret.orderId)}`, { signal }),
    enabled: isNeeded && fromLabel === undefined,
    refetchInterval: false,
  });
  if (fromLabel !== undefined) return fromLabel;
  if (order.data)
    return (
      returnWarehouseOf(
        order.data.shipments,
        ret.lines.map((l) => l.sku),
      ) ?? ''
    );
  return order.isError ? '' : undefined;
}
