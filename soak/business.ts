/**
 * The actions people take on the soak's orders at random moments, sometimes the same action twice at
 * once. Each action reads the current snapshot, so it asks only what a person could sensibly ask then;
 * the system may still refuse (409/422) when the state moved on, which is fine. A 500 never is.
 * The orders themselves come from order-generator.ts, the requests from action-requests.ts.
 */
import {
  type Call,
  cancelRequest,
  closeInvoiceRequest,
  creditDecisionRequest,
  deliveryRequest,
  type Desk,
  fixNeedsAttentionRequest,
  holdRequest,
  type Keys,
  paymentRequest,
  receiptRequest,
  releaseRequest,
  retryAllRequest,
  returnApprovalRequest,
  returnInspectionRequest,
  returnReceiptRequest,
  returnRequest,
  shipToRequest,
} from './action-requests';
import type { ApiAnswer, ApiClient } from './api-client';
import type { Catalogue } from './catalogue';
import type { Random } from './random';
import { ORDER_ENDS, type Snapshot } from './snapshot';

export type { Keys } from './action-requests';

export interface ActionLog {
  /** kind -> HTTP status -> count */
  counts: Record<string, Record<string, number>>;
  /** 5xx answers other than 502/503/504 (those are expected while a part is being killed). */
  serverErrors: { action: string; path: string; status: number; body: unknown }[];
  total: number;
  doubled: number;
}

export const newActionLog = (): ActionLog => ({ counts: {}, serverErrors: [], total: 0, doubled: 0 });

export class ActionDriver {
  private readonly held = new Map<string, number>();
  private payments = 0;
  private readonly desk: Desk;

  constructor(
    private readonly api: ApiClient,
    private readonly random: Random,
    catalogue: Catalogue,
    private readonly keys: Keys,
    readonly log: ActionLog,
    /** Never give up on a call because of a chaos kill: answers 0/502/503 are retried by the caller's next round. */
  ) {
    this.desk = { random, keys, catalogue };
  }

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

  /** Sends `call` when a builder found something to do; undefined (nothing sent) otherwise. */
  private send(call: Call | undefined, twice: boolean): Promise<ApiAnswer[]> | undefined {
    return call ? this.call(call, twice) : undefined;
  }

  /** One random action that makes sense on `s`; false when none applied. */
  async randomAction(s: Snapshot): Promise<boolean> {
    const twice = this.random.chance(0.2);
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
      () => this.send(returnRequest(this.desk, s), false),
      () => this.send(cancelRequest(this.desk, open), twice),
      () => this.holdOrRelease(s, twice),
      () => this.send(shipToRequest(this.desk, open), twice),
      () => this.send(closeInvoiceRequest(this.desk, s), twice),
      () => this.send(retryAllRequest(this.desk), false),
    ];
    for (const choice of this.random.sample(choices, choices.length)) {
      const done = choice();
      if (done) {
        await done;
        return true;
      }
    }
    return false;
  }

  deliverOne(s: Snapshot, twice = false) {
    return this.send(deliveryRequest(this.desk, s), twice);
  }

  private payOne(s: Snapshot, twice: boolean) {
    return this.send(
      paymentRequest(this.desk, s, () => (this.payments += 1)),
      twice,
    );
  }

  decideCredit(s: Snapshot, twice = false, decision?: 'approve' | 'reject') {
    return this.send(creditDecisionRequest(this.desk, s, decision), twice);
  }

  fixNeedsAttention(s: Snapshot, twice = false, onlyRetry = false) {
    return this.send(fixNeedsAttentionRequest(this.desk, s, onlyRetry), twice);
  }

  receiveOne(s: Snapshot, twice = false) {
    return this.send(receiptRequest(this.desk, s), twice);
  }

  private holdOrRelease(s: Snapshot, twice: boolean) {
    const open = s.orders.filter((o) => !ORDER_ENDS.has(o.status));
    const heldIds = [...this.held.keys()];
    if (heldIds.length > 0 && this.random.chance(0.6)) return this.release(heldIds[0]!, twice);
    if (open.length === 0) return undefined;
    const order = this.random.pick(open);
    this.held.set(order.id, Date.now());
    return this.call(holdRequest(this.keys, order.id), twice);
  }

  private release(orderId: string, twice = false) {
    this.held.delete(orderId);
    return this.call(releaseRequest(this.keys, orderId), twice);
  }

  async releaseAllHolds(): Promise<void> {
    for (const orderId of [...this.held.keys()]) await this.release(orderId);
  }

  advanceReturns(s: Snapshot, twice = false) {
    const waiting = s.steps.filter((st) => st.workflowId.startsWith('return-') && st.status === 'waiting');
    if (waiting.length === 0) return undefined;
    const st = this.random.pick(waiting);
    if (st.step === 'approve-return') return this.call(returnApprovalRequest(this.desk, st), twice);
    if (st.step === 'await-receipt') return this.call(returnReceiptRequest(this.desk, s, st), twice);
    if (st.step === 'inspect-return') {
      return this.api.request('GET', `/v1/returns/${st.workflowId}`, this.keys.ops).then((answer) => {
        const lines = (answer.body as { lines?: { quantity: number }[] } | undefined)?.lines ?? [];
        if (lines.length === 0) return undefined;
        return this.call(returnInspectionRequest(this.desk, st, lines), twice);
      });
    }
    return undefined;
  }
}
