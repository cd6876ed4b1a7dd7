/**
 * Random but valid business: closed-won orders whose quantities span stock, receipts and lead time,
 * and the actions people take on them at random moments, sometimes the same action twice at once.
 * Each action reads the current snapshot, so it asks only what a person could sensibly ask then; the
 * system may still refuse (409/422) when the state moved on, which is fine. A 500 never is.
 */
import type { ClosedWonEvent } from '../domain/closed-won';
import type { ApiAnswer, ApiClient } from './api-client';
import type { Catalogue } from './catalogue';
import type { Random } from './random';
import { ORDER_ENDS, type Snapshot } from './snapshot';

export interface Keys {
  admin: string;
  ops: string;
  finance: string;
}

export interface ActionLog {
  /** kind -> HTTP status -> count */
  counts: Record<string, Record<string, number>>;
  /** 5xx answers other than 502/503/504 (those are expected while a part is being killed). */
  serverErrors: { action: string; path: string; status: number; body: unknown }[];
  total: number;
  doubled: number;
}

export const newActionLog = (): ActionLog => ({ counts: {}, serverErrors: [], total: 0, doubled: 0 });

const isoDay = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

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

type Call = { action: string; method: string; path: string; key: string; body?: unknown };

export class ActionDriver {
  private readonly held = new Map<string, number>();
  private payments = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly random: Random,
    private readonly catalogue: Catalogue,
    private readonly keys: Keys,
    readonly log: ActionLog,
    /** Never give up on a call because of a chaos kill: answers 0/502/503 are retried by the caller's next round. */
  ) {}

  private async call(call: Call, twice: boolean): Promise<ApiAnswer[]> {
    this.log.total += 1;
    if (twice) this.log.doubled += 1;
    const once = () => this.api.request(call.method, call.path, call.key, call.body);
    const answers = await Promise.all(twice ? [once(), once()] : [once()]);
    for (const a of answers) {
      const byStatus = (this.log.counts[call.action] ??= {});
      byStatus[String(a.status)] = (byStatus[String(a.status)] ?? 0) + 1;
      if (a.status >= 500 && ![502, 503, 504].includes(a.status)) {
        this.log.serverErrors.push({ action: call.action, path: call.path, status: a.status, body: a.body });
      }
    }
    return answers;
  }

  /** One random action that makes sense on `s`; false when none applied. */
  async randomAction(s: Snapshot): Promise<boolean> {
    const twice = this.random.chance(0.2);
    const r = this.random;
    const open = s.orders.filter((o) => !ORDER_ENDS.has(o.status));
    const choices: (() => Promise<unknown> | undefined)[] = [
      () => this.deliverOne(s, twice),
      () => this.deliverOne(s, twice),
      () => this.payOne(s, twice),
      () => this.payOne(s, twice),
      () => this.decideCredit(s, twice),
      () => this.fixNeedsAttention(s, twice),
      () => this.receiveOne(s, twice),
      () => this.advanceReturns(s, twice),
      () => this.requestReturn(s),
      () =>
        open.length > 0 && r.chance(0.3)
          ? this.call(
              {
                action: 'cancel',
                method: 'POST',
                path: `/v1/orders/${r.pick(open).id}/cancel`,
                key: this.keys.ops,
                body: { reason: 'customer withdrew the PO (soak)' },
              },
              twice,
            )
          : undefined,
      () => this.holdOrRelease(s, twice),
      () =>
        open.length > 0
          ? this.call(
              {
                action: 'ship-to',
                method: 'PATCH',
                path: `/v1/orders/${r.pick(open).id}/ship-to`,
                key: this.keys.ops,
                body: { shipTo: this.shipTo(), reason: 'dock moved (soak)' },
              },
              twice,
            )
          : undefined,
      () => this.closeInvoice(s, twice),
      () =>
        r.chance(0.1)
          ? this.call(
              {
                action: 'retry-all',
                method: 'POST',
                path: `/v1/steps/${r.pick(['reserve-stock', 'book-carrier', 'create-erp-order', 'send-invoice'])}/retry-all`,
                key: this.keys.ops,
                body: { reason: 'after an outage (soak)' },
              },
              false,
            )
          : undefined,
    ];
    for (const choice of r.sample(choices, choices.length)) {
      const done = choice();
      if (done) {
        await done;
        return true;
      }
    }
    return false;
  }

  private shipTo() {
    const where = this.random.pick(this.catalogue.shipToRegions);
    return {
      name: 'New receiving dock',
      line1: `${this.random.int(1, 999)} Logistics Blvd`,
      city: where.city,
      region: where.region,
      postalCode: where.postalCode,
      country: 'US',
    };
  }

  deliverOne(s: Snapshot, twice = false) {
    const waiting = s.steps.filter((st) => st.step === 'await-delivery' && st.status === 'waiting');
    if (waiting.length === 0) return undefined;
    const { workflowId, orderId } = this.random.pick(waiting);
    const shipment = s.shipments.find((sh) => sh.id === workflowId);
    const lines = (shipment?.lines ?? []) as { lineNo: number; quantity: number }[];
    const damaged =
      this.random.chance(0.1) && lines.length > 0
        ? [{ lineNo: lines[0]!.lineNo, type: 'damaged' as const, quantity: 1, note: 'crushed corner' }]
        : [];
    return this.call(
      {
        action: 'delivery',
        method: 'POST',
        path: `/v1/orders/${orderId}/delivery`,
        key: this.keys.ops,
        body: {
          shipmentId: workflowId,
          signer: 'Soak Receiver',
          deliveredAt: new Date().toISOString(),
          exceptions: damaged,
        },
      },
      twice,
    );
  }

  private payOne(s: Snapshot, twice: boolean) {
    const open = s.invoices.filter((i) => ['issued', 'sent', 'partially_paid', 'overdue'].includes(i.status));
    if (open.length === 0) return undefined;
    const invoice = this.random.pick(open);
    const balance = Number(invoice.totalMinor - invoice.paidMinor - invoice.discountTakenMinor - invoice.creditedMinor);
    if (balance <= 0) return undefined;
    const amount = this.random.chance(0.6) ? balance : Math.max(1, Math.floor(balance * this.random.next()));
    this.payments += 1;
    return this.call(
      {
        action: 'payment',
        method: 'POST',
        path: `/v1/invoices/${invoice.id}/payments`,
        key: this.keys.finance,
        body: {
          amountMinor: amount,
          receivedDate: isoDay(0),
          reference: `WIRE-${this.catalogue.tag}-${this.payments}`,
        },
      },
      twice,
    );
  }

  private closeInvoice(s: Snapshot, twice: boolean) {
    const open = s.invoices.filter((i) => ['issued', 'sent', 'partially_paid', 'overdue'].includes(i.status));
    if (open.length === 0 || !this.random.chance(0.3)) return undefined;
    const invoice = this.random.pick(open);
    const action = invoice.paidMinor === 0n && this.random.chance(0.5) ? 'void' : 'write-off';
    return this.call(
      {
        action,
        method: 'POST',
        path: `/v1/invoices/${invoice.id}/${action}`,
        key: this.keys.finance,
        body: { reason: `${action} (soak)` },
      },
      twice,
    );
  }

  decideCredit(s: Snapshot, twice = false, decision?: 'approve' | 'reject') {
    const waiting = s.steps.filter((st) => st.step === 'credit-approval' && st.status === 'waiting');
    if (waiting.length === 0) return undefined;
    const { orderId } = this.random.pick(waiting);
    return this.call(
      {
        action: 'credit-decision',
        method: 'POST',
        path: `/v1/orders/${orderId}/credit-decision`,
        key: this.keys.finance,
        body: {
          decision: decision ?? (this.random.chance(0.8) ? 'approve' : 'reject'),
          reason: 'credit review (soak)',
        },
      },
      twice,
    );
  }

  fixNeedsAttention(s: Snapshot, twice = false, onlyRetry = false) {
    const stuck = s.steps.filter((st) => st.status === 'needs_attention');
    if (stuck.length === 0) return undefined;
    const st = this.random.pick(stuck);
    const skip = !onlyRetry && this.random.chance(0.25);
    return this.call(
      {
        action: skip ? 'skip' : 'retry',
        method: 'POST',
        path: `/v1/orders/${st.workflowId}/steps/${st.step}/${skip ? 'skip' : 'retry'}`,
        key: this.keys.ops,
        body: { reason: `${skip ? 'skipped' : 'retried'} after reading "${(st.error ?? '').slice(0, 60)}" (soak)` },
      },
      twice,
    );
  }

  receiveOne(s: Snapshot, twice = false) {
    const pending = s.receipts.filter((r) => !r.receivedAt);
    if (pending.length === 0) return undefined;
    return this.call(
      {
        action: 'receipt',
        method: 'POST',
        path: '/v1/receipts',
        key: this.keys.ops,
        body: { receiptId: this.random.pick(pending).id },
      },
      twice,
    );
  }

  private holdOrRelease(s: Snapshot, twice: boolean) {
    const open = s.orders.filter((o) => !ORDER_ENDS.has(o.status));
    const heldIds = [...this.held.keys()];
    if (heldIds.length > 0 && this.random.chance(0.6)) return this.release(heldIds[0]!, twice);
    if (open.length === 0) return undefined;
    const order = this.random.pick(open);
    this.held.set(order.id, Date.now());
    return this.call(
      {
        action: 'hold',
        method: 'POST',
        path: `/v1/orders/${order.id}/hold`,
        key: this.keys.ops,
        body: { reason: 'customer asked to wait (soak)' },
      },
      twice,
    );
  }

  private release(orderId: string, twice = false) {
    this.held.delete(orderId);
    return this.call(
      {
        action: 'release',
        method: 'POST',
        path: `/v1/orders/${orderId}/release`,
        key: this.keys.ops,
        body: { reason: 'go ahead (soak)' },
      },
      twice,
    );
  }

  async releaseAllHolds(): Promise<void> {
    for (const orderId of [...this.held.keys()]) await this.release(orderId);
  }

  private requestReturn(s: Snapshot) {
    const delivered = s.shipments.filter(
      (sh) => sh.deliveredAt && sh.picks && !s.returns.some((r) => r.orderId === sh.orderId),
    );
    if (delivered.length === 0 || !this.random.chance(0.4)) return undefined;
    const shipment = this.random.pick(delivered);
    const picks = (
      shipment.picks as { lines: { sku: string; quantity: number; lots: { lotId: string; quantity: number }[] }[] }
    ).lines;
    const line = this.random.pick(picks);
    const lot = line.lots[0];
    const quantity = this.random.int(1, Math.max(1, Math.min(lot?.quantity ?? line.quantity, 5)));
    return this.call(
      {
        action: 'return',
        method: 'POST',
        path: `/v1/orders/${shipment.orderId}/returns`,
        key: this.keys.ops,
        body: {
          lines: [
            {
              sku: line.sku,
              ...(lot ? { lotId: lot.lotId } : {}),
              quantity,
              reasonCode: this.random.pick(['DAMAGED', 'DEFECTIVE', 'NOT_NEEDED']),
            },
          ],
        },
      },
      false,
    );
  }

  advanceReturns(s: Snapshot, twice = false) {
    const waiting = s.steps.filter((st) => st.workflowId.startsWith('return-') && st.status === 'waiting');
    if (waiting.length === 0) return undefined;
    const st = this.random.pick(waiting);
    const ret = s.returns.find((r) => r.id === st.workflowId);
    if (st.step === 'approve-return') {
      return this.call(
        {
          action: 'return-approve',
          method: 'POST',
          path: `/v1/returns/${st.workflowId}/approve`,
          key: this.keys.ops,
          body: { decision: this.random.chance(0.85) ? 'approve' : 'reject', reason: 'return review (soak)' },
        },
        twice,
      );
    }
    if (st.step === 'await-receipt') {
      return this.call(
        {
          action: 'return-receive',
          method: 'POST',
          path: `/v1/returns/${st.workflowId}/receive`,
          key: this.keys.ops,
          body: {
            warehouseId: ret?.warehouseId ?? this.catalogue.warehouses[0]!.id,
            receivedAt: new Date().toISOString(),
          },
        },
        twice,
      );
    }
    if (st.step === 'inspect-return') {
      return this.api.request('GET', `/v1/returns/${st.workflowId}`, this.keys.ops).then((answer) => {
        // The return's lines come in line order (1-based line numbers).
        const lines = (answer.body as { lines?: { quantity: number }[] } | undefined)?.lines ?? [];
        if (lines.length === 0) return undefined;
        return this.call(
          {
            action: 'return-inspect',
            method: 'POST',
            path: `/v1/returns/${st.workflowId}/inspect`,
            key: this.keys.ops,
            body: {
              lines: lines.map((l, i) => {
                const restock = this.random.int(0, l.quantity);
                return { lineNo: i + 1, restock, scrap: l.quantity - restock };
              }),
            },
          },
          twice,
        );
      });
    }
    return undefined;
  }
}
