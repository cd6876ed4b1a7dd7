/** The five demo deals on the demo data set (prisma/seed-data.ts), and the return one of them gets. */

export type DemoOrderKey = 'stuck' | 'credit-hold' | 'backordered' | 'invoiced' | 'return';

const ACME = { id: 'CUST-ACME', name: 'Acme Industrial Supply, Inc.' };
const ACME_CONTACTS = {
  billingContact: { name: 'Dana Whitfield', email: 'ap@acme-industrial.example' },
  shippingContact: { name: 'Luis Ortega', email: 'receiving@acme-industrial.example' },
};
const ACME_DOCK = {
  name: 'Acme Industrial Supply - Dock 2',
  line1: '1800 Commerce Parkway',
  city: 'Columbus',
  region: 'OH',
  postalCode: '43219',
  country: 'US',
};

/** The demo deals: fixed ids, so a second run finds the first one's orders. */
export const DEMO_DEALS: readonly {
  key: DemoOrderKey;
  dealId: string;
  event: (today: string) => Record<string, unknown>;
}[] = [
  {
    key: 'stuck',
    dealId: 'D-DEMO-0001',
    event: (today) => ({
      customer: {
        id: 'CUST-INITECH',
        name: 'Initech Facilities LLC',
        billingContact: { name: 'Bill Lumbergh', email: 'ap@initech.example' },
        shippingContact: { name: 'Milton Waddams', email: 'facilities@initech.example' },
      },
      poNumber: 'PO-IN-20418',
      lines: [{ sku: 'OXIDIZER-H2O2-20L', quantity: 4, unitPriceMinor: 8_900 }],
      shipTo: {
        name: 'Initech - Building 3 Cooling Plant',
        line1: '4120 Freidrich Lane',
        city: 'Austin',
        region: 'TX',
        postalCode: '78744',
        country: 'US',
      },
      requestedDeliveryDate: inDays(today, 14),
    }),
  },
  {
    key: 'credit-hold',
    dealId: 'D-DEMO-0002',
    event: (today) => ({
      customer: {
        id: 'CUST-HOOLI',
        name: 'Hooli Manufacturing Co.',
        billingContact: { name: 'Gavin Belson', email: 'ap@hooli.example' },
        shippingContact: { name: 'Jared Dunn', email: 'receiving@hooli.example' },
      },
      poNumber: 'PO-HM-5521',
      lines: [
        { sku: 'BEARING-6204-2RS', quantity: 200, unitPriceMinor: 640 },
        { sku: 'VALVE-BR-050', quantity: 24, unitPriceMinor: 2_450 },
      ],
      shipTo: {
        name: 'Hooli Manufacturing - Plant 1',
        line1: '1401 N Shoreline Blvd',
        city: 'Mountain View',
        region: 'CA',
        postalCode: '94043',
        country: 'US',
      },
      requestedDeliveryDate: inDays(today, 10),
    }),
  },
  {
    key: 'backordered',
    dealId: 'D-DEMO-0003',
    event: (today) => ({
      customer: { ...ACME, ...ACME_CONTACTS },
      poNumber: 'PO-778402',
      lines: [{ sku: 'MOTOR-TEFC-075', quantity: 5, unitPriceMinor: 98_500 }],
      shipTo: ACME_DOCK,
      requestedDeliveryDate: inDays(today, 21),
      allowsPartialShipment: false,
    }),
  },
  {
    key: 'invoiced',
    dealId: 'D-DEMO-0004',
    event: (today) => ({
      customer: { ...ACME, ...ACME_CONTACTS },
      poNumber: 'PO-778377',
      lines: [
        { sku: 'VALVE-BR-050', quantity: 40, unitPriceMinor: 'contract' },
        { sku: 'GASKET-NBR-050', quantity: 200, unitPriceMinor: 85 },
      ],
      shipTo: ACME_DOCK,
      requestedDeliveryDate: inDays(today, 7),
      // The shortest terms there are: due the day after the invoice date (see the module's comment).
      paymentTerms: 'NET1',
    }),
  },
  {
    key: 'return',
    dealId: 'D-DEMO-0005',
    event: (today) => ({
      customer: { ...ACME, ...ACME_CONTACTS },
      poNumber: 'PO-778390',
      lines: [{ sku: 'VALVE-BR-050', quantity: 60, unitPriceMinor: 'contract' }],
      shipTo: ACME_DOCK,
      requestedDeliveryDate: inDays(today, 7),
    }),
  },
];

/** The return of the `return` demo: 24 of its 60 valves ($516.00, above the $500.00 auto-approval limit). */
export const DEMO_RETURN_LINES = [{ sku: 'VALVE-BR-050', quantity: 24, reasonCode: 'DEFECTIVE' }];

export const demoOrderId = (dealId: string): string => `order-${dealId}`;

function inDays(today: string, days: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
