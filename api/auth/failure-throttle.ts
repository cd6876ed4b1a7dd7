/**
 * Counts failed authentication attempts per client address, so a flood of bad keys or unsigned intake
 * calls is refused before any work (no key lookup, no signature check). Fixed one-minute windows in a
 * bounded map: an attacker rotating addresses evicts the oldest windows, never the valid-key cache.
 */
export interface FailureThrottle {
  /** Seconds until the address may try again, or 0 when it is under the limit. */
  retryAfter(address: string): number;
  record(address: string): void;
}

export function createFailureThrottle(
  maxPerMinute: number,
  maxAddresses = 10_000,
  now: () => number = Date.now,
): FailureThrottle {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const current = (address: string) => {
    const w = windows.get(address);
    return w && w.resetAt > now() ? w : undefined;
  };
  return {
    retryAfter(address) {
      const w = current(address);
      return w && w.count >= maxPerMinute ? Math.max(1, Math.ceil((w.resetAt - now()) / 1000)) : 0;
    },
    record(address) {
      const w = current(address);
      if (w) {
        w.count += 1;
        return;
      }
      windows.delete(address);
      if (windows.size >= maxAddresses) windows.delete(windows.keys().next().value as string);
      windows.set(address, { count: 1, resetAt: now() + 60_000 });
    },
  };
}
