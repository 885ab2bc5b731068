/** Where a Segment message comes from, as Stratum's `action_source` says it. */
export type ActionSource = 'website' | 'app' | 'server'

const CHANNELS: Readonly<Record<string, ActionSource>> = { browser: 'website', client: 'website', mobile: 'app', server: 'server' }

/**
 * The `action_source` of a message: its `channel` (`browser`, `mobile`,
 * `server`) when it says; else `website` for analytics.js or a message with
 * a page, `app` for one with an app or a device (the mobile SDKs); else
 * `fallback`, which follows the credential (a public key is a website's, a
 * secret key a backend's).
 *
 * @example
 * actionSourceOf('server', {}, 'website') // 'server'
 * actionSourceOf(undefined, { library: { name: 'analytics.js' } }, 'server') // 'website'
 */
export function actionSourceOf(channel: unknown, context: Record<string, unknown>, fallback: ActionSource): ActionSource {
  if (typeof channel === 'string' && CHANNELS[channel]) return CHANNELS[channel]
  const library = (context.library as { name?: unknown } | undefined)?.name
  if (context.page !== undefined || (typeof library === 'string' && library.startsWith('analytics.js'))) return 'website'
  if (context.app !== undefined || context.device !== undefined) return 'app'
  return fallback
}
