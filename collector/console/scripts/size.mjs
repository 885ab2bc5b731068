// The console's initial download, gzipped, against its budget (collector/docs/console.md, "Size budget"):
// index.html plus every script and stylesheet it references (the entry and its preloaded chunks).
// Lazily loaded pages are listed apart. Exits 1 over budget. Run after `pnpm build`.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const BUDGET_KB = 60
const dist = fileURLToPath(new URL('../dist/', import.meta.url))
const gz = (buffer) => gzipSync(buffer).length / 1024

let html
try {
  html = readFileSync(join(dist, 'index.html'))
} catch {
  console.error('collector/console/dist is missing: run pnpm build first')
  process.exit(1)
}
const initial = [...html.toString().matchAll(/(?:src|href)="\/console\/assets\/([^"]+)"/g)].map((m) => m[1])
const rows = [['index.html', gz(html)], ...initial.map((name) => [name, gz(readFileSync(join(dist, 'assets', name)))])]
const total = rows.reduce((sum, [, kb]) => sum + kb, 0)
const lazy = readdirSync(join(dist, 'assets')).filter((name) => !initial.includes(name))

console.log('Console initial load (gzip):')
for (const [name, kb] of rows) console.log(`  ${name.padEnd(40)} ${kb.toFixed(2).padStart(7)} KB`)
console.log(`  ${'total'.padEnd(40)} ${total.toFixed(2).padStart(7)} KB  (budget ${BUDGET_KB} KB)`)
console.log('Loaded on demand (gzip):')
for (const name of lazy) console.log(`  ${name.padEnd(40)} ${gz(readFileSync(join(dist, 'assets', name))).toFixed(2).padStart(7)} KB`)
if (total > BUDGET_KB) {
  console.error(`Over budget: ${total.toFixed(2)} KB > ${BUDGET_KB} KB`)
  process.exit(1)
}
