// `pnpm bench`: the pixel's size beside Segment's and RudderStack's browser SDKs, all measured
// now, min+gzip (level 9), from the built dist/ and from the competitors' npm packages
// (devDependencies of @stratum/pixel). A competitor file that is shipped unminified is minified
// with esbuild first; each is measured both ways and the smaller counts, to be fair to them.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipLength, gzipSize, kb } from '../scripts/gzip-size.mjs'

const require = createRequire(import.meta.url)
const esbuild = createRequire(require.resolve('tsup'))('esbuild')
const dist = (name) => fileURLToPath(new URL(`../dist/${name}`, import.meta.url))

/** The root folder of an installed package (its `exports` may hide deep paths from require.resolve). */
function packageRoot(name) {
  let dir = dirname(require.resolve(name))
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'))).name !== name) {
    dir = dirname(dir)
  }
  return dir
}

function minGzip(file) {
  const minified = esbuild.transformSync(readFileSync(file, 'utf8'), { minify: true }).code
  return Math.min(gzipSize(file), gzipLength(minified))
}

function competitor(label, name, path) {
  try {
    const root = packageRoot(name)
    const { version } = JSON.parse(readFileSync(join(root, 'package.json')))
    return { label: `${label} ${name}@${version} (${path})`, bytes: minGzip(join(root, path)) }
  } catch {
    return { label: `${label} ${name}: not installed (add it to pixel's devDependencies)` }
  }
}

const core = gzipSize(dist('stratum.min.js'))
const identity = gzipSize(dist('stratum-identity.min.js'))
const rows = [
  { label: 'Stratum core, dist/stratum.min.js', bytes: core },
  { label: 'Stratum core + identity chunk (what a visitor downloads)', bytes: core + identity },
  competitor('Segment', '@segment/analytics-next', 'dist/umd/standalone.js'),
  competitor('RudderStack', '@rudderstack/analytics-js', 'dist/npm/modern/umd/index.js'),
]
const width = Math.max(...rows.map((r) => r.label.length))
console.log('min+gzip sizes, measured now:')
for (const { label, bytes } of rows) {
  const ratio = bytes ? `${(bytes / core).toFixed(1)}×`.padStart(6) : ''
  console.log(`  ${label.padEnd(width)}  ${bytes ? kb(bytes).padStart(9) : ''}  ${ratio}`)
}
