import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * The script-tag pixel and the chunks it loads from beside itself.
 *
 * @example
 * PIXEL_FILES.has('stratum.min.js') // true
 */
export const PIXEL_FILES: ReadonlySet<string> = new Set(['stratum.min.js', 'stratum-identity.min.js', 'stratum-device.min.js'])

/**
 * Reads one of {@link PIXEL_FILES} from the installed `@stratum/pixel`
 * package's `dist` (found through module resolution, so it works from the
 * repository and from `node_modules` alike). Resolves `undefined` for any
 * other name, and throws when the pixel is not built.
 *
 * @example
 * const script = await readPixelFile('stratum.min.js')
 */
export async function readPixelFile(name: string): Promise<Buffer | undefined> {
  if (!PIXEL_FILES.has(name)) return undefined
  try {
    return await readFile(join(pixelDist(), name))
  } catch {
    throw new Error(`${name} is not built: run pnpm -r build`)
  }
}

let dist: string | undefined
/**
 * Resolved once, through the package's package.json: TypeScript path
 * mappings (tsx, vitest) point the bare name at the sources. The files
 * themselves are read on each request, so a rebuilt pixel is served at once.
 */
function pixelDist(): string {
  dist ??= join(dirname(createRequire(import.meta.url).resolve('@stratum/pixel/package.json')), 'dist')
  return dist
}
