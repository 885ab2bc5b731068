import { warn } from './safe'
import type { PageContext } from './types'

/**
 * Keeps the pixel's calls in the order they were made while some of them wait for a chunk.
 *
 * @example
 * sequencer.run(() => record('Purchase'))
 */
export interface CallSequencer {
  /** Runs `call` now, or — while something is awaited — after it, with the page captured now. */
  run(call: () => void): void
  /** Makes every later call wait until `until` settles. */
  wait(until: Promise<unknown>): void
  /** Resolves once every call made so far has run. */
  idle(): Promise<unknown>
}

/**
 * Orders calls around asynchronous steps. `identify()` on the script tag may
 * have to wait for the identity chunk; a `track('Purchase')` made right after
 * it must still carry the hashed email, so it waits too, and runs with the
 * page context of the moment it was made.
 *
 * @example
 * const sequencer = createCallSequencer(currentPageContext, at)
 * sequencer.wait(loadIdentity())
 * sequencer.run(() => record('Purchase')) // runs once the chunk has arrived
 */
export function createCallSequencer(
  capture: () => PageContext,
  at: (page: PageContext, call: () => void) => void,
): CallSequencer {
  let tail: Promise<unknown> | undefined
  const follow = (next: Promise<unknown>) => {
    const settled = next.catch((error) => warn('deferred call failed', error))
    tail = settled
    settled.then(() => {
      if (tail === settled) tail = undefined
    })
  }
  return {
    run(call) {
      if (!tail) return call()
      const page = capture()
      follow(tail.then(() => at(page, call)))
    },
    wait: (until) => follow(tail ? tail.then(() => until) : until),
    idle: () => Promise.resolve(tail),
  }
}
