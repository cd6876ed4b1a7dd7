/**
 * Random but valid closed-won orders: quantities span stock, receipts and lead time, prices are mostly
 * the contract or list price and now and then a CRM typo the validation must reject.
 */
import type { ClosedWonEvent } from '../domain/closed-won';
import type { Catalogue } from './catalogue';
import type { Random } from './random';

export const isoDay = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export function generateOrder(random: Random, catalogue: Catalogue, n: number): ClosedWonEvent {
  const customer = random.pick(catalogue.customers);
  const where = random.pick(catalogue.shipToRegions);
  const lines = random.sample(catalogue.skus, random.int(1, 4)).map((sku) => {
    const quantity =
      sku.kind === 'plain'
        ? random.int(1, 400)
        : sku.kind === 'scarce'
          ? random.int(1, 30) // often more than on hand: receipts and lead time
          : sku.kind === 'lead-time'
            ? random.int(1, 5)
            : random.int(1, 60);
    const contract = customer.contractPrices.get(sku.sku);
    // Mostly valid prices (contract or list); now and then a CRM typo the validation must reject.
    const unitPriceMinor = random.chance(0.03)
      ? sku.unitPriceMinor * 3
      : contract !== undefined
        ? random.chance(0.5)
          ? ('contract' as const)
          : contract
        : sku.unitPriceMinor;
    return { sku: sku.sku, quantity, unitPriceMinor };
  });
  return {
    dealId: `SOAK-${catalogue.tag}-${n}`,
    closedAt: new Date().toISOString(),
    customer: {
      id: customer.id,
      name: customer.name,
      billingContact: { name: 'Accounts Payable', email: `ap-${n}@soak-customer.example` },
      shippingContact: { name: 'Receiving Dock', email: `dock-${n}@soak-customer.example` },
    },
    poNumber: `PO-${catalogue.tag}-${n}`,
    currency: 'USD',
    lines,
    shipTo: {
      name: `${customer.name} dock ${n % 7}`,
      line1: `${100 + n} Industrial Way`,
      city: where.city,
      region: where.region,
      postalCode: where.postalCode,
      country: 'US',
    },
    requestedDeliveryDate: isoDay(random.int(7, 40)),
    paymentTerms: 'CUSTOMER_DEFAULT',
    freightTerms: random.pick(['prepaid', 'collect', 'prepaid_and_add'] as const),
    allowsPartialShipment: random.chance(0.75),
  };
}
