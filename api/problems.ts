/**
 * The API's error catalogue: every failure answers `application/problem+json` (RFC 9457) with a
 * stable `type`, a human `title` and the HTTP status. Routes throw `ProblemError`s; the error handler
 * (api/error-handler.ts) renders them. An `ApplicationFailure` (a workflow's refusal, an adapter's
 * failure) is answered by its type through the failure catalogue (domain/failures.ts): problemOfFailure.
 */
import { ApplicationFailure } from '@temporalio/common';
import { failureOfType, type FailureProblem } from '../domain/failures';

export const PROBLEMS = {
  validation: { status: 400, title: 'The request is invalid' },
  unauthorized: { status: 401, title: 'Missing or invalid credentials' },
  forbidden: { status: 403, title: 'Your role may not do this' },
  notFound: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflicts with the current state' },
  payloadTooLarge: { status: 413, title: 'The request body is too large' },
  unsupportedMediaType: { status: 415, title: 'Unsupported content type' },
  businessRule: { status: 422, title: 'A business rule forbids this' },
  rateLimited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  dependencyDown: { status: 503, title: 'A dependency is unavailable' },
  gatewayTimeout: { status: 504, title: 'The workflow did not answer in time' },
} as const;

export type ProblemKind = keyof typeof PROBLEMS;

/** Every problem the failure catalogue names is one of ours: a catalogue entry naming another fails to compile. */
const asProblemKind = (problem: FailureProblem): ProblemKind => problem;

/**
 * The problem an `ApplicationFailure` answers, by its type alone (never its message); undefined for
 * anything else, and for a type the catalogue does not know (an update validator's plain Error:
 * api/workflow-calls.ts answers it as a conflict with the run's state).
 */
export function problemOfFailure(failure: unknown): ProblemKind | undefined {
  if (!(failure instanceof ApplicationFailure)) return undefined;
  const spec = failureOfType(failure.type);
  return spec ? asProblemKind(spec.problem) : undefined;
}

export const problemType = (kind: ProblemKind): string =>
  `https://closedloop.dev/problems/${kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export interface FieldError {
  field: string;
  message: string;
}

export class ProblemError extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }

  get status(): number {
    return PROBLEMS[this.kind].status;
  }
}

export function problemBody(kind: ProblemKind, detail: string, instance?: string, extra: Record<string, unknown> = {}) {
  return {
    type: problemType(kind),
    title: PROBLEMS[kind].title,
    status: PROBLEMS[kind].status,
    detail,
    instance,
    ...extra,
  };
}
