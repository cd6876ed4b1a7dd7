/**
 * Chaos for our own engine: wraps an adapter so its calls are slow and fail at a chosen rate, to show
 * in tests and benchmarks that retries, compensations and needs_attention hold up.
 *
 * An injected fault is thrown BEFORE the real method runs, never after: a failure then means "nothing
 * happened", exactly like a request that never reached the other system. Failing after the effect
 * would also be realistic (a lost response), but it would test the adapters' idempotency rather than
 * the engine, and would leave half effects that make benchmark results hard to read.
 *
 * The fault is a plain Error, so Temporal treats it as retryable, as it would a network error.
 */

export interface FaultOptions {
  /** Probability that a call fails, 0..1. */
  failureRate: number;
  /** Added before every wrapped call, failing or not; 0 for none. */
  latencyMs: number;
  /** A source of numbers in [0, 1); defaults to Math.random. Inject one for deterministic tests. */
  random?: () => number;
  /** Method names to wrap; all methods when omitted. */
  only?: string[];
}

/**
 * Returns `adapter` with every method (or only those named in `only`) delayed by `latencyMs` and
 * failing with probability `failureRate` as `Error('injected fault: <system>.<method>')`. Other
 * properties pass through. Methods become async; every adapter method is already.
 */
export function withFaults<T extends object>(adapter: T, options: FaultOptions, system: string): T {
  const { failureRate, latencyMs, random = Math.random, only } = options;
  if (typeof failureRate !== 'number' || !(failureRate >= 0 && failureRate <= 1)) {
    throw new RangeError(`${system} faults: failureRate must be between 0 and 1 (got ${failureRate})`);
  }
  if (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs) || latencyMs < 0) {
    throw new RangeError(`${system} faults: latencyMs must be a number >= 0 (got ${latencyMs})`);
  }
  const methods = methodNames(adapter);
  const unknown = (only ?? []).filter((name) => !methods.includes(name));
  if (unknown.length > 0) {
    throw new RangeError(
      `${system} faults: only names ${unknown.map((n) => `'${n}'`).join(', ')}, not a method of ${system} (methods: ${methods.join(', ')})`,
    );
  }
  const faulty = new Set(only ?? methods);
  const wrappers = new Map<string, (...args: unknown[]) => Promise<unknown>>();

  return new Proxy(adapter, {
    get(target, property) {
      // The real method runs against the target, so class instances keep their private state.
      const value: unknown = Reflect.get(target, property, target);
      if (typeof property !== 'string' || typeof value !== 'function' || !faulty.has(property)) return value;
      let wrapper = wrappers.get(property);
      if (!wrapper) {
        const method = value as (...args: unknown[]) => unknown;
        wrapper = async (...args: unknown[]) => {
          if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
          if (random() < failureRate) throw new Error(`injected fault: ${system}.${property}`);
          return method.apply(target, args);
        };
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
  });
}

/** Function-valued properties, own and inherited (class methods), except Object's own. */
function methodNames(adapter: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = adapter; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name !== 'constructor' && typeof (adapter as Record<string, unknown>)[name] === 'function') names.add(name);
    }
  }
  return [...names].sort();
}
