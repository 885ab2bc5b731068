// Fails when the script-tag core or the inline snippet is over budget (spec §6).
// Run after `pnpm build`: `pnpm size` (CI runs it).
import { statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSize, kb } from './gzip-size.mjs'

const file = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url))

const budgets = [
  { name: 'core dist/stratum.min.js (min+gzip)', bytes: gzipSize(file('dist/stratum.min.js')), max: 6 * 1024 },
  { name: 'snippet snippet/snippet.min.js (min)', bytes: statSync(file('snippet/snippet.min.js')).size, max: 1024 },
]
const info = [
  { name: 'identity chunk dist/stratum-identity.min.js (min+gzip)', bytes: gzipSize(file('dist/stratum-identity.min.js')) },
  { name: 'FingerprintJS chunk dist/stratum-device.min.js (min+gzip)', bytes: gzipSize(file('dist/stratum-device.min.js')) },
]

let failed = false
for (const { name, bytes, max } of budgets) {
  const ok = bytes <= max
  failed ||= !ok
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${kb(bytes)} (${bytes} B) / budget ${kb(max)}`)
}
for (const { name, bytes } of info) console.log(`info ${name}: ${kb(bytes)} (${bytes} B)`)
if (failed) {
  console.error('Over budget.')
  process.exit(1)
}
