export type LoginLimiter = {
  /** Seconds until this address may try again, or 0. */
  retryAfter: (address: string, now?: number) => number;
  fail: (address: string, now?: number) => void;
  succeed: (address: string) => void;
};

/**
 * In memory: one process serves everything (DESIGN §1), an attacker cannot restart it, and persisting would
 * turn each failed guess into a write on the single SQLite writer. Bounded, so many addresses cannot exhaust memory.
 */
export function createLoginLimiter(opts: { maxFailures?: number; windowMs?: number; maxAddresses?: number } = {}): LoginLimiter {
  const max = opts.maxFailures ?? 5;
  const windowMs = opts.windowMs ?? 60_000;
  const maxAddresses = opts.maxAddresses ?? 10_000;
  const failures = new Map<string, number[]>();
  const recent = (address: string, now: number) => (failures.get(address) ?? []).filter((t) => now - t < windowMs);
  return {
    retryAfter(address, now = Date.now()) {
      const times = recent(address, now);
      if (times.length < max) return 0;
      return Math.max(1, Math.ceil(((times[times.length - max] ?? now) + windowMs - now) / 1000));
    },
    fail(address, now = Date.now()) {
      const times = recent(address, now);
      times.push(now);
      failures.delete(address);
      failures.set(address, times.slice(-max));
      if (failures.size > maxAddresses) {
        for (const [a, t] of failures) if (t.every((x) => now - x >= windowMs)) failures.delete(a);
        while (failures.size > maxAddresses) failures.delete(failures.keys().next().value as string);
      }
    },
    succeed(address) {
      failures.delete(address);
    },
  };
}
