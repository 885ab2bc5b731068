/**
 * The windows signal health is reported over (`GET /emq`, collector/docs/emq.md), in seconds.
 * They are read on `received_at`: see `collector/docs/emq.md` for why.
 *
 * @example
 * SIGNAL_WINDOWS['7d'] // 604800
 */
export const SIGNAL_WINDOWS = { '24h': 86_400, '7d': 7 * 86_400 } as const

/**
 * A signal-health window name.
 *
 * @example
 * const window: SignalWindow = '24h'
 */
export type SignalWindow = keyof typeof SIGNAL_WINDOWS

/**
 * Every window, shortest first.
 *
 * @example
 * SIGNAL_WINDOW_NAMES // ['24h', '7d']
 */
export const SIGNAL_WINDOW_NAMES = Object.keys(SIGNAL_WINDOWS) as SignalWindow[]

/**
 * Where a window ending at `now` starts (inclusive).
 *
 * @example
 * windowStart('24h', new Date('2026-01-14T12:00:00Z')) // 2026-01-13T12:00:00.000Z
 */
export function windowStart(window: SignalWindow, now: Date): Date {
  return new Date(now.getTime() - SIGNAL_WINDOWS[window] * 1000)
}

/**
 * `windows`, narrowest first: the order of the `bucket` index the signal
 * queries tag each event with (the narrowest window it falls in).
 *
 * @example
 * narrowestFirst(['7d', '24h']) // ['24h', '7d']
 */
export function narrowestFirst<W extends SignalWindow>(windows: readonly W[]): W[] {
  return [...windows].sort((a, b) => SIGNAL_WINDOWS[a] - SIGNAL_WINDOWS[b])
}

/**
 * A figure per window, for the whole tenant and per `source_id` (null: events
 * sent with a JWT, i.e. from a server).
 *
 * @example
 * const scoped: PerScope<'24h', number> = { tenant: { '24h': 1 }, sources: new Map([[null, { '24h': 1 }]]) }
 */
export interface PerScope<W extends SignalWindow, T> {
  tenant: Record<W, T>
  sources: Map<string | null, Record<W, T>>
}
