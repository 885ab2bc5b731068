import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, extname, join } from 'node:path'

/** Content types of the files Vite writes into the console's `dist`. */
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
}

/** An asset's name as Vite writes it: no folder, no `..`. */
const ASSET_NAME = /^[\w-]+(\.[\w-]+)*\.[a-z0-9]+$/

let dist: string | undefined
/**
 * The console's `dist`, found once through module resolution (as the pixel's
 * files are, collector/src/http/pixel-files.ts), so it works from the
 * repository and from `node_modules` alike.
 *
 * @example
 * readConsoleIndex(consoleDist())
 */
export function consoleDist(): string {
  dist ??= join(dirname(createRequire(import.meta.url).resolve('@stratum/console/package.json')), 'dist')
  return dist
}

/**
 * The console's `index.html`, or `undefined` when the console is not built.
 * Read on each request: a rebuilt console is served at once.
 *
 * @example
 * const html = await readConsoleIndex(consoleDist())
 */
export async function readConsoleIndex(dir: string): Promise<string | undefined> {
  try {
    return await readFile(join(dir, 'index.html'), 'utf8')
  } catch {
    return undefined
  }
}

/**
 * A hashed asset of the console (`index-D6xp_o_6.js`), with its content type;
 * `undefined` for a name that is not a built asset.
 *
 * @example
 * const asset = await readConsoleAsset(consoleDist(), 'index-D6xp_o_6.js')
 */
export async function readConsoleAsset(dir: string, name: string): Promise<{ body: Buffer; contentType: string } | undefined> {
  const contentType = CONTENT_TYPES[extname(name)]
  if (!contentType || !ASSET_NAME.test(name)) return undefined
  try {
    return { body: await readFile(join(dir, 'assets', name)), contentType }
  } catch {
    return undefined
  }
}
