import type { RateLimit } from '../config'

/** Token buckets by key, in memory. */
export interface TokenBuckets {
  /** Takes a token for `key`: 0 when the request may go, else the whole seconds until one is due. */
  take(key: string, now?: number): number
  /** The same answer as `take`, without taking a token. */
  peek(key: string, now?: number): number
  /** How many keys are remembered. */
  size(): number
}

/** Idle keys swept per request: more than one, so that sweeping keeps ahead of new keys. */
const SWEEP_PER_TAKE = 2

/**
 * Token buckets in one process's memory: each key holds up to `burst` tokens,
 * refilled at `perSecond`, and a request takes one. Memory is bounded: a key
 * whose bucket has refilled is the same as one never seen and is forgotten
 * (swept a few at a time as requests come), and past `maxKeys` the least
 * recently seen keys are dropped first.
 *
 * @example
 * const perIp = createTokenBuckets({ perSecond: 50, burst: 100 })
 * const wait = perIp.take('203.0.113.9') // 0: go; else seconds for Retry-After
 */
export function createTokenBuckets(limit: RateLimit, maxKeys = 100_000): TokenBuckets {
  // Insertion order is recency order: a key is moved to the end whenever it is seen.
  const buckets = new Map<string, { tokens: number; at: number }>()
  const tokensOf = (key: string, now: number) => {
    const bucket = buckets.get(key)
    return bucket ? Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond) : limit.burst
  }
  const waitFor = (tokens: number) => (tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / limit.perSecond)))
  const sweep = (now: number) => {
    let swept = 0
    for (const key of buckets.keys()) {
      if (swept++ >= SWEEP_PER_TAKE || tokensOf(key, now) < limit.burst) break
      buckets.delete(key)
    }
    for (const key of buckets.keys()) {
      if (buckets.size <= maxKeys) break
      buckets.delete(key)
    }
  }
  return {
    take(key, now = Date.now()) {
      if (limit.perSecond <= 0) return 0
      const tokens = tokensOf(key, now)
      const wait = waitFor(tokens)
      // Seen now, refused or not: a key that keeps trying is the last to be evicted.
      buckets.delete(key)
      buckets.set(key, { tokens: wait > 0 ? tokens : tokens - 1, at: now })
      sweep(now)
      return wait
    },
    peek: (key, now = Date.now()) => (limit.perSecond <= 0 ? 0 : waitFor(tokensOf(key, now))),
    size: () => buckets.size,
  }
}
