/**
 * Token buckets in this process's memory: one per API key and one per client address. A bucket holds up to
 * `burst` requests and refills at `perSecond`; a request that finds it empty is told when to retry. Several
 * Kouan processes each keep their own buckets, so behind a load balancer the effective limit is per process.
 */

export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

const MAX_BUCKETS = 100_000;

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one request from the bucket; undefined when allowed, else the seconds to wait. */
  take(key: string): number | undefined {
    if (this.limit.perSecond <= 0) return undefined;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      return Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.perSecond));
    }
    bucket.tokens -= 1;
    if (!this.buckets.has(key) && this.buckets.size >= MAX_BUCKETS) this.forgetFullBuckets(now);
    this.buckets.set(key, bucket);
    return undefined;
  }

  /** Buckets that have refilled completely carry no information; dropping them bounds memory. */
  private forgetFullBuckets(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond >= this.limit.burst) this.buckets.delete(key);
    }
  }
}
