import { warn } from '../safe'
import type { StratumCore } from '../stratum-core'
import type { PageContext, Stratum, StratumOptions } from '../types'

/**
 * Routes `stratum('method', …args)` calls, made at `page`, to a pixel instance.
 *
 * @example
 * dispatch(['track', 'Lead', { value: 1 }], currentPageContext())
 */
export type CallDispatcher = (args: unknown[], page: PageContext) => unknown

/**
 * The script tag's call router. `init` creates the instance; calls made
 * before it (a plain `<script src>` page calling `stratum('track', …)` early,
 * or a snippet queue with `init` last) wait and run right after, in order,
 * each with its own page context. A second `init` is ignored.
 *
 * @example
 * const dispatch = createCallDispatcher((options, page) => createStratumCore(options, loadVisitorId, page))
 * dispatch(['init', { sourceKey: 'sk_…', endpoint: 'https://c.example' }], currentPageContext())
 * dispatch(['track', 'Lead'], currentPageContext())
 */
export function createCallDispatcher(
  createCore: (options: StratumOptions, page: PageContext) => StratumCore,
): CallDispatcher {
  let core: StratumCore | undefined
  const waiting: [unknown[], PageContext][] = []
  const dispatch: CallDispatcher = ([method, ...args], page) => {
    if (method === 'init') {
      if (core) return warn('init called twice; ignored')
      core = createCore(args[0] as StratumOptions, page)
      for (const [queued, queuedPage] of waiting.splice(0)) dispatch(queued, queuedPage)
      return
    }
    if (!core) return void waiting.push([[method, ...args], page])
    const run = core.api[method as keyof Stratum] as ((...a: unknown[]) => unknown) | undefined
    if (typeof run !== 'function') return warn(`unknown method ${String(method)}`)
    const { at } = core
    return at(page, () => run(...args))
  }
  return dispatch
}
