/**
 * The route table: one screen per file under screens/ (a long screen keeps its pieces in a folder
 * beside it: screens/order/, screens/invoice/...). `nav` puts a screen in the top navigation for
 * keys whose permissions include `permission` (a "METHOD /v1/path" from GET /v1/me). Finance screens
 * are added below the ops ones.
 */
import type { ReactNode } from 'react';
import { WorkQueueScreen } from './screens/WorkQueue';
import { OrdersScreen } from './screens/Orders';
import { OrderDetailScreen } from './screens/OrderDetail';
import { BulkRetryScreen } from './screens/BulkRetry';
import { financeScreens } from './finance/routes';

export interface ScreenRoute {
  path: string;
  element: ReactNode;
  nav?: { label: string; permission: string };
}

export const screens: ScreenRoute[] = [
  // Ops
  { path: '/', element: <WorkQueueScreen />, nav: { label: 'Work queue', permission: 'GET /v1/work-queue' } },
  { path: '/orders', element: <OrdersScreen />, nav: { label: 'Orders', permission: 'GET /v1/orders' } },
  { path: '/orders/:orderId', element: <OrderDetailScreen /> },
  {
    path: '/bulk-retry',
    element: <BulkRetryScreen />,
    nav: { label: 'Bulk retry', permission: 'POST /v1/steps/:step/retry-all' },
  },
  // Finance
  ...financeScreens,
];
