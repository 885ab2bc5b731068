import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** The chunks analytics.js (`@segment/analytics-next`) loads from beside itself: `<name>.bundle.<content hash>.js`. */
const CHUNK = /^[A-Za-z0-9-]+\.bundle\.[0-9a-f]{20}\.js$/


let umd: string | undefined
const contents = new Map<string, Promise<Buffer>>()

/**
 * The standalone bundle of the installed `@segment/analytics-next`
 * (`dist/umd/standalone.js`): what Segment's CDN serves as the snippet's
 * `analytics.min.js`. Kept in memory after the first read: an installed
 * package does not change.
 *
 * @example
 * const script = await analyticsNextStandalone()
 */
export function analyticsNextStandalone(): Promise<Buffer | undefined> {
  return read('standalone.js')
}

/**
 * A chunk the standalone bundle loads from beside itself
 * (`ajs-destination.bundle.40628baed746e9904edc.js`), or `undefined` for any
 * other name or a chunk the installed version does not have.
 *
 * @example
 * const chunk = await analyticsNextChunk(c.req.param('file'))
 */
export function analyticsNextChunk(name: string): Promise<Buffer | undefined> {
  return CHUNK.test(name) ? read(name) : Promise.resolve(undefined)
}

function read(name: string): Promise<Buffer | undefined> {
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
