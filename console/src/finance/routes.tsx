/**
 * The finance screens, spread into the route table (console/src/routes.tsx). A navigation entry shows
 * for keys that may call the route the screen reads.
 */
import { lazy, Suspense, type ComponentType } from 'react';
import type { ScreenRoute } from '../routes';
import { Loading } from '../components/States';
import { InvoicesScreen } from '../screens/Invoices';
import { InvoiceDetailScreen } from '../screens/InvoiceDetail';
import { CustomersScreen } from '../screens/Customers';
import { CustomerDetailScreen } from '../screens/CustomerDetail';
import { ReturnsScreen } from '../screens/Returns';
import { ReturnDetailScreen } from '../screens/ReturnDetail';
import { AuditScreen } from '../screens/Audit';

/**
 * The report screens carry Chart.js: loaded when first opened, so the work queue and the lists do not
 * wait for a chart library they never draw.
 */
function onDemand(load: () => Promise<ComponentType>, what: string) {
  const Screen = lazy(async () => ({ default: await load() }));
  return (
    <Suspense fallback={<Loading what={what} />}>
      <Screen />
    </Suspense>
  );
}
const arAging = onDemand(() => import('../screens/ArAging').then((m) => m.ArAgingScreen), 'the aging report');
const kpis = onDemand(() => import('../screens/Kpis').then((m) => m.KpisScreen), 'the KPI charts');

export const financeScreens: ScreenRoute[] = [
  { path: '/invoices', element: <InvoicesScreen />, nav: { label: 'Invoices', permission: 'GET /v1/invoices' } },
  { path: '/invoices/:invoiceId', element: <InvoiceDetailScreen /> },
  { path: '/customers', element: <CustomersScreen />, nav: { label: 'Customers', permission: 'GET /v1/customers' } },
  { path: '/customers/:customerId', element: <CustomerDetailScreen /> },
  { path: '/returns', element: <ReturnsScreen />, nav: { label: 'Returns', permission: 'GET /v1/returns' } },
  { path: '/returns/:returnId', element: <ReturnDetailScreen /> },
  { path: '/reports/ar-aging', element: arAging, nav: { label: 'AR aging', permission: 'GET /v1/reports/ar-aging' } },
  { path: '/reports/kpis', element: kpis, nav: { label: 'KPIs', permission: 'GET /v1/kpis' } },
  { path: '/audit', element: <AuditScreen />, nav: { label: 'Audit log', permission: 'GET /v1/audit' } },
];
