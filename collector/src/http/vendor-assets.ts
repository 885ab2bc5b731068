import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** A browser file shipped by an npm package the collector depends on. */
interface VendorFile {
  package: 'swagger-ui-dist' | 'redoc'
  /** Path inside the package. */
  path: string
  contentType: string
}

/**
 * The only third-party files the API docs pages load, by the name they are
 * served under. Nothing else from `node_modules` can be reached.
 */
const VENDOR_FILES = {
  'swagger-ui-bundle.js': { package: 'swagger-ui-dist', path: 'swagger-ui-bundle.js', contentType: 'text/javascript; charset=utf-8' },
  'swagger-ui.css': { package: 'swagger-ui-dist', path: 'swagger-ui.css', contentType: 'text/css; charset=utf-8' },
  'favicon-32x32.png': { package: 'swagger-ui-dist', path: 'favicon-32x32.png', contentType: 'image/png' },
  'redoc.standalone.js': { package: 'redoc', path: 'bundles/redoc.standalone.js', contentType: 'text/javascript; charset=utf-8' },
} as const satisfies Record<string, VendorFile>

/** The name a vendor file is served under. */
export type VendorFileName = keyof typeof VENDOR_FILES

const isVendorFile = (name: string): name is VendorFileName => Object.hasOwn(VENDOR_FILES, name)

const require = createRequire(import.meta.url)
const packageDirs = new Map<string, { dir: string; version: string }>()

/** The installed package's folder and version, found once through module resolution (like the pixel's files). */
function installed(name: VendorFile['package']) {
  let found = packageDirs.get(name)
  if (!found) {
    const manifest = require.resolve(`${name}/package.json`)
    found = { dir: dirname(manifest), version: (require(manifest) as { version: string }).version }
    packageDirs.set(name, found)
  }
  return found
}

/**
 * The URL path of a vendor file under `base`. It names the package's
 * installed version, so the file never changes at that URL and browsers may
 * keep it for good; an upgrade changes the URL.
 *
 * @example
 * vendorAssetPath('/docs/assets', 'swagger-ui.css') // '/docs/assets/swagger-ui-dist@5.35.0/swagger-ui.css'
 */
export function vendorAssetPath(base: string, name: VendorFileName): string {
  const file: VendorFile = VENDOR_FILES[name]
  return `${base}/${file.package}@${installed(file.package).version}/${name}`
}

const contents = new Map<string, Promise<Buffer>>()

/**
 * Reads a vendor file named by `release` (`swagger-ui-dist@5.35.0`) and
 * `name`, kept in memory after the first read: the files of an installed
 * package do not change. Resolves `undefined` for a file that is not listed
 * or a release that is not the installed one.
 *
 * @example
 * const file = await readVendorFile('redoc@2.5.4', 'redoc.standalone.js')
 * if (file) return c.body(file.body, 200, { 'content-type': file.contentType })
 */
export async function readVendorFile(release: string, name: string) {
  if (!isVendorFile(name)) return undefined
  const file: VendorFile = VENDOR_FILES[name]
  const { dir, version } = installed(file.package)
  if (release !== `${file.package}@${version}`) return undefined
  const path = join(dir, file.path)
  let body = contents.get(path)
  if (!body) {
    body = readFile(path)
    // A failed read is not remembered, so a transient error does not stick.
    body.catch(() => contents.delete(path))
    contents.set(path, body)
  }
  return { body: await body, contentType: file.contentType }
}
