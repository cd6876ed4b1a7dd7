import { useQueryClient } from '@tanstack/react-query';
import { useAnnounce } from '../../components/Announcer';

/** After an order action: say what happened and refetch the order and the work queue it may leave. */
export function useAfterAction(orderId: string) {
  const client = useQueryClient();
  const announce = useAnnounce();
  return (message: string) => {
    announce(message);
    void client.invalidateQueries({ queryKey: ['order', orderId] });
    void client.invalidateQueries({ queryKey: ['work-queue'] });
  };
}
