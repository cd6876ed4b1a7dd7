/**
 * The catalogue of failures: every `ApplicationFailure` type the system throws, with what it does to a
 * run, whether a retry can help, and the API problem it answers (api/problems.ts). Activities, adapters
 * and workflows throw `FAILURES.<Name>.type`; the API maps a failure to its problem by type only
 * (api/problems.ts problemOfFailure), never by its message.
 *
 * The type strings are recorded in workflow histories, and workflows and the engine branch on them:
 * never rename one (test/unit/foundation/failure-catalogue.test.ts pins them). Importable from workflow
 * code: this module imports nothing.
 *
 * A refusal that is not here, i.e. an update validator's plain `Error` ("order is not on hold") or a
 * handler's untyped failure, is about the run's current state: the API answers it 409.
 */

/** What a failure of this type does where it is thrown. */
export type FailureEffect =
  /** An activity's business outcome no retry changes: the step engine ends the run `rejected`, compensating. */
  | 'rejects-run'
  /** An activity (or adapter) fault a retry cannot fix: the step parks in needs_attention for a person. */
  | 'needs-attention'
  /** An update's validator or handler refuses it: the update fails, the run goes on. */
  | 'refuses-update'
  /** The workflow itself fails: malformed input it was started with, or a programming error. */
  | 'fails-run';

/**
 * The API problems a failure can answer: a subset of api/problems.ts ProblemKind (checked there at
 * compile time). `internal` answers 500 with the detail logged, not shown (a fault on our side or in
 * another system's answer, whose text may carry that system's internals).
 */
export type FailureProblem = 'notFound' | 'conflict' | 'businessRule' | 'internal';

export interface FailureSpec {
  readonly type: string;
  /** False for every failure today: each is thrown as non-retryable because a retry gives the same answer. */
  readonly isRetryable: boolean;
  readonly effect: FailureEffect;
  readonly problem: FailureProblem;
}

const nonRetryable = <T extends string, E extends FailureEffect>(type: T, effect: E, problem: FailureProblem) =>
  ({ type, isRetryable: false, effect, problem }) as const;

export const FAILURES = {
  // Business outcomes: the run ends rejected (workflows/engine/failures.ts businessFailure).
  /** Validation refused the order: unknown SKU, price outside tolerance, unknown SLA profile (activities/fulfillment). */
  OrderRejected: nonRetryable('OrderRejected', 'rejects-run', 'businessRule'),
  /** Finance rejected the order on credit hold (activities/fulfillment/credit). */
  CreditRejected: nonRetryable('CreditRejected', 'rejects-run', 'businessRule'),
  /** The return policy refuses the request (activities/returns/check-return). */
  ReturnRejected: nonRetryable('ReturnRejected', 'rejects-run', 'businessRule'),
  /** Dispatch refused: the order (or the shipment) was cancelled first (activities/shipping). */
  ShipmentCancelled: nonRetryable('ShipmentCancelled', 'rejects-run', 'conflict'),

  // Activity and adapter faults a person resolves (the step parks in needs_attention).
  /** The invoice cannot be drafted or issued from what is stored (activities/billing). */
  InvoiceInvalid: nonRetryable('InvoiceInvalid', 'needs-attention', 'businessRule'),
  /** The configured ERP adapter cannot post receivables (activities/billing/send-invoice). */
  ErpUnsupported: nonRetryable('ErpUnsupported', 'needs-attention', 'internal'),
  /** A return's receipt, inspection or credit memo cannot be booked as given (activities/returns). */
  ReturnInvalid: nonRetryable('ReturnInvalid', 'needs-attention', 'businessRule'),
  /** No carrier takes the shipment (hazard class, weight, mode) (activities/shipping). */
  NoCarrier: nonRetryable('NoCarrier', 'needs-attention', 'businessRule'),
  /** Lots with enough shelf life are short of the line's quantity (adapters/wms/pick). */
  PickShortfall: nonRetryable('PickShortfall', 'needs-attention', 'conflict'),
  /**
   * A late commit refused: the effect's compensation ran first (adapters/fence.ts), so an attempt the
   * server had timed out, still running on a slow worker, must not land after the undo.
   */
  EffectCompensated: nonRetryable('EffectCompensated', 'needs-attention', 'conflict'),
  /** The WMS knows no scheduled receipt with that id (adapters/wms, adapters/http/wms; POST /v1/receipts). */
  UnknownReceipt: nonRetryable('UnknownReceipt', 'needs-attention', 'notFound'),
  /** Another system refused the request (4xx other than 404/408/409/429) or redirected it (adapters/http/http-client). */
  ExternalRejected: nonRetryable('ExternalRejected', 'needs-attention', 'internal'),
  /** Another system answered 2xx with a body that breaks the documented contract (adapters/http/http-client). */
  ExternalBadResponse: nonRetryable('ExternalBadResponse', 'needs-attention', 'internal'),

  // Update refusals: the update fails, the run goes on (api/workflow-calls.ts answers them).
  /** A business rule forbids the change (cancel once shipped, ship-to once released), not the run's state. */
  BusinessRule: nonRetryable('BusinessRule', 'refuses-update', 'businessRule'),
  /** Invoice updates (payment, void, write-off, credit): not issued yet (a draft is cancelled, not voided or paid). */
  InvoiceNotIssued: nonRetryable('InvoiceNotIssued', 'refuses-update', 'conflict'),
  /** Already paid, void, written off or credited: the invoice's state moved on. */
  InvoiceClosed: nonRetryable('InvoiceClosed', 'refuses-update', 'conflict'),
  /** Payments applied: a void would lose them. */
  InvoiceHasPayments: nonRetryable('InvoiceHasPayments', 'refuses-update', 'businessRule'),
  /** Credit memos applied: a void would lose them. */
  InvoiceHasCredits: nonRetryable('InvoiceHasCredits', 'refuses-update', 'businessRule'),
  /** A credit memo larger than the open balance. */
  CreditExceedsBalance: nonRetryable('CreditExceedsBalance', 'refuses-update', 'businessRule'),
  /** A field missing or malformed (the API's schemas catch these first). */
  InvalidInvoiceRequest: nonRetryable('InvalidInvoiceRequest', 'refuses-update', 'businessRule'),
  /** Payments (domain/billing/payments applyPayment; kebab-case, as the AR work queue names them): the invoice is void. */
  PaymentOnVoidInvoice: nonRetryable('invoice-void', 'refuses-update', 'businessRule'),
  /** The invoice is already paid. */
  PaymentOnPaidInvoice: nonRetryable('invoice-already-paid', 'refuses-update', 'businessRule'),
  /** An empty reference (it makes the payment idempotent; the API's schema refuses it first). */
  PaymentWithoutReference: nonRetryable('missing-reference', 'refuses-update', 'businessRule'),
  /** An amount <= 0 (the API's schema refuses it first). */
  PaymentNotPositive: nonRetryable('non-positive-amount', 'refuses-update', 'businessRule'),
  /** A payment above the open balance: the cash stays unapplied. */
  Overpayment: nonRetryable('overpayment', 'refuses-update', 'businessRule'),

  // The workflow fails.
  /** The invoice was started with a dunning policy that breaks its rules (workflows/billing/invoice-workflow). */
  InvalidDunningPolicy: nonRetryable('InvalidDunningPolicy', 'fails-run', 'businessRule'),
  /** The engine was asked for a step its run does not declare: a programming error (workflows/engine/core). */
  UnknownStep: nonRetryable('UnknownStep', 'fails-run', 'internal'),
} as const satisfies Record<string, FailureSpec>;

export type FailureName = keyof typeof FAILURES;
export type FailureType = (typeof FAILURES)[FailureName]['type'];

const BY_TYPE: ReadonlyMap<string, FailureSpec> = new Map(Object.values(FAILURES).map((f) => [f.type, f]));

/** The catalogue entry of a failure type; undefined for a type the catalogue does not know (or none). */
export const failureOfType = (type: string | undefined | null): FailureSpec | undefined =>
  type === undefined || type === null ? undefined : BY_TYPE.get(type);

/** A business failure (an activity's outcome that rejects the run) by its type. */
export type BusinessFailureType = Extract<(typeof FAILURES)[FailureName], { effect: 'rejects-run' }>['type'];

export const isBusinessFailureType = (type: string | undefined | null): type is BusinessFailureType =>
  failureOfType(type)?.effect === 'rejects-run';

/** The refusals of the invoice workflow's close, payment and credit checks (its `refuse` takes only these). */
export type InvoiceRefusal = Extract<(typeof FAILURES)[FailureName], { effect: 'refuses-update' }>;

/** Why applyPayment refused a payment (domain/billing/payments). */
export type PaymentRefusal =
  | typeof FAILURES.PaymentOnVoidInvoice
  | typeof FAILURES.PaymentOnPaidInvoice
  | typeof FAILURES.PaymentWithoutReference
  | typeof FAILURES.PaymentNotPositive
  | typeof FAILURES.Overpayment;
export type PaymentRefusalCode = PaymentRefusal['type'];
