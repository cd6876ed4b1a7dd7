/**
 * The finance screens, spread into the route table (console/src/routes.tsx). A navigation entry shows
 * for keys that may call the route the screen reads.
 */
import type { ScreenRoute } from '../routes';
import { InvoicesScreen } from '../screens/Invoices';
import { InvoiceDetailScreen } from '../screens/InvoiceDetail';
import { CustomersScreen } from '../screens/Customers';
import { CustomerDetailScreen } from '../screens/CustomerDetail';
import { ReturnsScreen } from '../screens/Returns';
import { ReturnDetailScreen } from '../screens/ReturnDetail';
import { ArAgingScreen } from '../screens/ArAging';
import { KpisScreen } from '../screens/Kpis';
import { AuditScreen } from '../screens/Audit';

export const financeScreens: ScreenRoute[] = [
  { path: '/invoices', element: <InvoicesScreen />, nav: { label: 'Invoices', permission: 'GET /v1/invoices' } },
  { path: '/invoices/:invoiceId', element: <InvoiceDetailScreen /> },
  { path: '/customers', element: <CustomersScreen />, nav: { label: 'Customers', permission: 'GET /v1/customers' } },
  { path: '/customers/:customerId', element: <CustomerDetailScreen /> },
  { path: '/returns', element: <ReturnsScreen />, nav: { label: 'Returns', permission: 'GET /v1/returns' } },
  { path: '/returns/:returnId', element: <ReturnDetailScreen /> },
  { path: '/reports/ar-aging', element: <ArAgingScreen />, nav: { label: 'AR aging', permission: 'GET /v1/reports/ar-aging' } },
  { path: '/reports/kpis', element: <KpisScreen />, nav: { label: 'KPIs', permission: 'GET /v1/kpis' } },
  { path: '/audit', element: <AuditScreen />, nav: { label: 'Audit log', permission: 'GET /v1/audit' } },
];
