import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { FAILURES, failureOfType, isBusinessFailureType, type FailureSpec } from '../../../domain/failures';
import { PROBLEMS, problemOfFailure } from '../../../api/problems';

// The catalogue of failures (domain/failures.ts): the type strings are recorded in workflow histories
// and workflows branch on them, so they are pinned here; the API answers each by its type alone.
const root = path.resolve(__dirname, '../../..');
const entries = Object.entries(FAILURES) as [string, FailureSpec][];

/** Every type as it was recorded before the catalogue existed, with the status the API answers it. */
const PINNED: [type: string, status: number][] = [
  ['OrderRejected', 422],
  ['CreditRejected', 422],
  ['ReturnRejected', 422],
  ['ShipmentCancelled', 409],
  ['InvoiceInvalid', 422],
  ['ErpUnsupported', 500],
  ['ReturnInvalid', 422],
  ['NoCarrier', 422],
  ['PickShortfall', 409],
  ['UnknownReceipt', 404],
  ['EffectCompensated', 409],
  ['ExternalRejected', 500],
  ['ExternalBadResponse', 500],
  ['BusinessRule', 422],
  ['InvoiceNotIssued', 409],
  ['InvoiceClosed', 409],
  ['InvoiceHasPayments', 422],
  ['InvoiceHasCredits', 422],
  ['CreditExceedsBalance', 422],
  ['InvalidInvoiceRequest', 422],
  ['invoice-void', 422],
  ['invoice-already-paid', 422],
  ['missing-reference', 422],
  ['non-positive-amount', 422],
  ['overpayment', 422],
  ['InvalidDunningPolicy', 422],
  ['UnknownStep', 500],
];

describe('the failure catalogue', () => {
  it('holds exactly the recorded types, each once', () => {
    const types = entries.map(([, f]) => f.type);
    expect(new Set(types).size).toBe(types.length);
    expect([...types].sort()).toEqual(PINNED.map(([type]) => type).sort());
  });

  it.each(PINNED)('answers %s with %d through the API, by its type alone', (type, status) => {
    const kind = problemOfFailure(
      ApplicationFailure.create({ type, message: 'any wording at all', nonRetryable: true }),
    );
    expect(kind).toBeDefined();
    expect(PROBLEMS[kind!].status).toBe(status);
    expect(kind).toBe(failureOfType(type)!.problem);
  });

  it('maps every entry to one of the API problems, non-retryable', () => {
    for (const [name, failure] of entries) {
      expect({ name, problem: failure.problem in PROBLEMS, isRetryable: failure.isRetryable }).toEqual({
        name,
        problem: true,
        isRetryable: false,
      });
    }
  });

  it("leaves an uncatalogued refusal to the caller (a validator's plain Error is about the run's state)", () => {
    expect(
      problemOfFailure(ApplicationFailure.create({ type: 'Error', message: 'order is not on hold' })),
    ).toBeUndefined();
    expect(problemOfFailure(ApplicationFailure.create({ message: 'untyped' }))).toBeUndefined();
    expect(problemOfFailure(new Error('no scheduled receipt R-1'))).toBeUndefined();
  });

  it('rejects a run on exactly the business outcomes', () => {
    expect(
      entries
        .filter(([, f]) => isBusinessFailureType(f.type))
        .map(([, f]) => f.type)
        .sort(),
    ).toEqual(['CreditRejected', 'OrderRejected', 'ReturnRejected', 'ShipmentCancelled']);
    expect(isBusinessFailureType(undefined)).toBe(false);
    expect(isBusinessFailureType('BusinessFailure')).toBe(false);
  });
});

// --- No stray literals: every thrown type comes from the catalogue ---------------------------------

const SOURCE_DIRS = ['activities', 'adapters', 'api', 'domain', 'lib', 'runtime', 'workers', 'workflows'];
const CATALOGUE = path.join('domain', 'failures.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(rel);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/**
 * The top-level arguments of the call whose `(` is at `open`, as source text. Strings, template
 * literals (with their `${}` holes) and nested brackets are skipped over, so a comma inside a message
 * does not split it.
 */
function callArguments(source: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  // Each template literal in progress remembers the bracket depth its `${` hole opened at.
  const templates: number[] = [];
  let inTemplateText = false;
  for (let i = open; i < source.length; i += 1) {
    const c = source[i]!;
    if (inTemplateText) {
      if (c === '\\') {
        i += 1;
      } else if (c === '`') {
        inTemplateText = false;
        templates.pop();
      } else if (c === '$' && source[i + 1] === '{') {
        inTemplateText = false;
        depth += 1;
        i += 1;
      }
      continue;
    }
    if (c === "'" || c === '"') {
      for (i += 1; i < source.length && source[i] !== c; i += 1) if (source[i] === '\\') i += 1;
    } else if (c === '`') {
      templates.push(depth);
      inTemplateText = true;
    } else if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i += 1;
    } else if (c === '(' || c === '[' || c === '{') {
      depth += 1;
    } else if (c === ')' || c === ']' || c === '}') {
      depth -= 1;
      if (c === '}' && templates.length > 0 && depth === templates.at(-1)) inTemplateText = true;
      else if (depth === 0) return [...args, source.slice(start, i).trim()].filter((a) => a !== '');
    } else if (c === ',' && depth === 1) {
      args.push(source.slice(start, i).trim());
      start = i + 1;
    }
  }
  throw new Error(`unbalanced call at ${open}`);
}

const STRING_LITERAL = /^(['"`])[^]*\1$/;

/** `ApplicationFailure.create({ type: '<literal>' ... })`, `ApplicationFailure.nonRetryable(message, '<literal>')`... */
function strayLiterals(file: string): string[] {
  const source = readFileSync(path.join(root, file), 'utf8');
  const found: string[] = [];
  for (const m of source.matchAll(
    /ApplicationFailure\.(create|nonRetryable|retryable)\s*\(|new ApplicationFailure\s*\(/g,
  )) {
    const open = m.index + m[0].length - 1;
    const line = source.slice(0, m.index).split('\n').length;
    const args = callArguments(source, open);
    const type = m[1] === 'create' ? /(?:^|[{,\s])type\s*:\s*(['"`][^'"`]*['"`])/.exec(args[0] ?? '')?.[1] : args[1];
    if (type !== undefined && STRING_LITERAL.test(type)) found.push(`${file}:${line} ${type}`);
  }
  return found;
}

describe('thrown failure types', () => {
  const files = SOURCE_DIRS.flatMap(sourceFiles).filter((f) => f !== CATALOGUE);

  it('finds the call sites it checks (the scan has not gone blind)', () => {
    const calls = files.reduce(
      (n, f) =>
        n +
        (readFileSync(path.join(root, f), 'utf8').match(/ApplicationFailure\.(create|nonRetryable)\s*\(/g)?.length ??
          0),
      0,
    );
    expect(calls).toBeGreaterThanOrEqual(20);
  });

  it('come from the catalogue: no type literal outside domain/failures.ts', () => {
    expect(files.flatMap(strayLiterals)).toEqual([]);
  });

  it('a literal would be caught, in either form', () => {
    const probe = (code: string) => {
      const open = code.indexOf('(');
      return callArguments(code, open);
    };
    expect(probe("nonRetryable(`line ${l}: ${a ? `x, ${b}` : ''}`, 'NoCarrier', { a: 1 })")).toEqual([
      "`line ${l}: ${a ? `x, ${b}` : ''}`",
      "'NoCarrier'",
      '{ a: 1 }',
    ]);
    expect(probe("create({ type: 'UnknownStep', message: `unknown step ${name}`, nonRetryable: true })")).toEqual([
      "{ type: 'UnknownStep', message: `unknown step ${name}`, nonRetryable: true }",
    ]);
    expect(STRING_LITERAL.test("'NoCarrier'")).toBe(true);
    expect(STRING_LITERAL.test('FAILURES.NoCarrier.type')).toBe(false);
  });
});
