import type { load } from '@fingerprintjs/fingerprintjs'

/**
 * The FingerprintJS visitor id, with FingerprintJS's usage-statistics
 * request turned off: the pixel must not call third parties, and a strict
 * CSP would block it anyway.
 *
 * @example
 * import { load } from '@fingerprintjs/fingerprintjs'
 * await visitorIdFrom(load) // 'e0f4b1c7…'
 */
export async function visitorIdFrom(loadAgent: typeof load): Promise<string> {
  const agent = await loadAgent({ monitoring: false })
  return (await agent.get()).visitorId
}
