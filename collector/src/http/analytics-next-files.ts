import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** The chunks analytics.js (`@segment/analytics-next`) loads from beside itself: `<name>.bundle.<content hash>.js`. */
const CHUNK = /^[A-Za-z0-9-]+\.bundle\.[0-9a-f]{20}\.js$/

/** The standalone bundle: what Segment's CDN serves as `analytics.min.js`, the snippet's script. */
export const ANALYTICS_NEXT_STANDALONE = 'standalone.js'

let umd: string | undefined
const contents = new Map<string, Promise<Buffer>>()

/**
 * Reads a file of the installed `@segment/analytics-next` package's
 * browser build (`dist/umd`): its standalone bundle, or one of its chunks.
 * Resolves `undefined` for any other name or a chunk the installed version
 * does not have. Kept in memory after the first read: an installed package
 * does not change.
 *
 * @example
 * const script = await readAnalyticsNextFile(ANALYTICS_NEXT_STANDALONE)
 */
export async function readAnalyticsNextFile(name: string): Promise<Buffer | undefined> {
  if (name !== ANALYTICS_NEXT_STANDALONE && !CHUNK.test(name)) return undefined
  umd ??= join(dirname(createRequire(import.meta.url).resolve('@segment/analytics-next/package.json')), 'dist', 'umd')
  const path = join(umd, name)
  let body = contents.get(path)
  if (!body) {
    body = readFile(path)
    // A missing chunk or a failed read is not remembered.
    body.catch(() => contents.delete(path))
    contents.set(path, body)
  }
  return body.catch(() => undefined)
}
