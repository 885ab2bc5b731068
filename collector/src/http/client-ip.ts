import ipaddr from 'ipaddr.js'

/** Decides whether an address is one of the configured trusted proxies. */
export type ProxyMatcher = (address: string) => boolean

/**
 * Builds a matcher for trusted proxies given as IPs or CIDRs
 * (`10.0.0.0/8`, `::1`, `127.0.0.1`).
 *
 * @example
 * const trusted = createProxyMatcher(['10.0.0.0/8'])
 * trusted('10.1.2.3') // true
 */
export function createProxyMatcher(entries: string[]): ProxyMatcher {
  const ranges = entries.map((entry) =>
    entry.includes('/') ? ipaddr.parseCIDR(entry) : ([ipaddr.parse(entry), entry.includes(':') ? 128 : 32] as const),
  )
  return (address) => {
    const parsed = parseAddress(address)
    if (!parsed) return false
    return ranges.some(([range, bits]) => parsed.kind() === range.kind() && parsed.match(range, bits))
  }
}

/**
 * The client's IP: the connection's address, or — only when that address is
 * a trusted proxy — the right-most address in `X-Forwarded-For` that is not
 * itself a trusted proxy. A browser can put anything in that header, so it is
 * never read from an untrusted peer.
 *
 * @example
 * clientIp('10.0.0.2', '203.0.113.9, 10.0.0.1', createProxyMatcher(['10.0.0.0/8'])) // '203.0.113.9'
 */
export function clientIp(remote: string | undefined, forwardedFor: string | undefined, trusted: ProxyMatcher) {
  if (!remote) return undefined
  const own = parseAddress(remote)?.toString()
  if (!own || !trusted(own) || !forwardedFor) return own
  const hops = forwardedFor.split(',').map((h) => h.trim())
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseAddress(hops[i] ?? '')?.toString()
    if (!hop) return own
    if (!trusted(hop)) return hop
  }
  return own
}

/**
 * Parses an address, unwrapping IPv4-mapped IPv6 (`::ffff:1.2.3.4`). An IPv6
 * zone (`fe80::1%eth0`) is refused: it names a local interface, and
 * PostgreSQL's inet cannot store it.
 */
function parseAddress(address: string) {
  if (!ipaddr.isValid(address) || address.includes('%')) return null
  const parsed = ipaddr.parse(address)
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
    ? (parsed as ipaddr.IPv6).toIPv4Address()
    : parsed
}
