import { guard } from '../safe'
import type { PageContext } from '../types'

/**
 * A call recorded by the snippet's stub: the arguments and the page at call time.
 *
 * @example
 * const call: QueuedCall = [['track', 'Lead'], currentPageContext()]
 */
export type QueuedCall = [args: unknown[], page: PageContext]

/**
 * Replays the calls the snippet's stub queued before the bundle arrived, in
 * the order they were made, each with the page context captured when it was
 * made. A malformed entry (a page that tampered with the queue) is logged and
 * skipped without stopping the others.
 *
 * @example
 * replayQueuedCalls(window.stratum.q, (args, page) => dispatch(args, page))
 */
export function replayQueuedCalls(queue: unknown, dispatch: (args: unknown[], page: PageContext) => void): void {
  if (Array.isArray(queue)) for (const call of queue as QueuedCall[]) guard(dispatch)(call[0], call[1])
}
