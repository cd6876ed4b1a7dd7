/** Where an object lives in the console (finance screens own invoices, returns and customers). */
import type { WorkQueueItem } from './types';

export const orderPath = (orderId: string) => `/orders/${encodeURIComponent(orderId)}`;
export const invoicePath = (invoiceId: string) => `/invoices/${encodeURIComponent(invoiceId)}`;
export const returnPath = (returnId: string) => `/returns/${encodeURIComponent(returnId)}`;
export const customerPath = (customerId: string) => `/customers/${encodeURIComponent(customerId)}`;

export function workItemPath(item: WorkQueueItem): string {
  switch (item.objectType) {
    case 'order':
      return orderPath(item.objectId);
    case 'invoice':
      return invoicePath(item.objectId);
    case 'return':
      return returnPath(item.objectId);
    case 'webhook':
      return item.orderId ? orderPath(item.orderId) : '/';
    default:
      return '/';
  }
}
