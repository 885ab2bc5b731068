import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's root, where CLI runs start. */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url))

/**
 * The built CLI, as users run it. Spawning the sources through tsx compiled
 * them on every spawn, a couple of CPU seconds each, which made concurrent
 * spawns time out on a loaded machine; and tsx's compiler, loaded once more
 * in every worker thread, added to the memory the bench reports.
 */
export const BUILT_CLI = join(REPO_ROOT, 'collector/dist/cli.js')

/**
 * Fails at once, saying what to run, when the built CLI is missing or older
 * than a file of `collector/src`: a stale build would test (or measure) other
 * code than the sources. For a test file's `beforeAll`, and the bench's start.
 *
 * @example
 * beforeAll(assertCliBuilt)
 */
export function assertCliBuilt(): void {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: build it first (pnpm -r build)`)
  const built = statSync(BUILT_CLI).mtimeMs
  const sources = join(REPO_ROOT, 'collector/src')
  const newer = readdirSync(sources, { recursive: true, encoding: 'utf8' }).find(
    (file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && statSync(join(sources, file)).mtimeMs > built,
  )
  if (newer) throw new Error(`${BUILT_CLI} is older than collector/src/${newer}: rebuild it (pnpm -r build)`)
}
