/**
 * Memoises a pure function of one string in a bounded map, for the EMQ
 * checks that every event of a batch repeats on the same value: one browser's
 * 100 events carry one user agent and one IP, and isbot's pattern list and
 * ipaddr.js's parse cost more than a map lookup (collector/docs/performance.md).
 * When the map is full it starts over, which bounds its memory whatever the
 * traffic, at the price of a few recomputations.
 *
 * @example
 * const isBotCached = boundedMemo((ua: string) => isbot(ua), 1024)
 * isBotCached('Mozilla/5.0 …') // computed once, then looked up
 */
export function boundedMemo<T>(compute: (key: string) => T, maxEntries: number): (key: string) => T {
  const memo = new Map<string, T>()
  return (key) => {
    const known = memo.get(key)
    if (known !== undefined || memo.has(key)) return known as T
    const value = compute(key)
    if (memo.size >= maxEntries) memo.clear()
    memo.set(key, value)
    return value
  }
}
