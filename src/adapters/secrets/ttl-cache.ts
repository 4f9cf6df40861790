/**
 * Values that are expensive or rate-limited to fetch (secrets, config) kept for a while per key. Lambda
 * reuses a warm module for hours, so a TTL rather than "forever" lets a rotated secret or an edited config
 * take effect without a redeploy. Concurrent callers share one fetch; a failed fetch is not cached.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expiresAtMs: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.nowMs();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAtMs > now) return hit.value;
    const value = load();
    this.entries.set(key, { value, expiresAtMs: now + this.ttlMs });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
