import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, preview } from 'vite'
import { freePort } from '../../pixel/e2e/support/collector-process'

const SPA = fileURLToPath(new URL('../spa/', import.meta.url))

/**
 * Builds `examples/spa` with Vite for this source and collector, into a
 * temporary folder, and serves it with `vite preview` (which answers every
 * route with `index.html`, as an SPA host must).
 *
 * @example
 * const spa = await serveSpa({ sourceKey, collectorUrl })
 * await page.goto(spa.url)
 * await spa.close()
 */
export async function serveSpa(target: { sourceKey: string; collectorUrl: string }) {
  const outDir = mkdtempSync(join(tmpdir(), 'stratum-spa-'))
  // Overrides the defaults of examples/spa/vite.config.ts, as VITE_STRATUM_* variables would.
  const define = {
    'import.meta.env.VITE_STRATUM_SOURCE_KEY': JSON.stringify(target.sourceKey),
    'import.meta.env.VITE_STRATUM_ENDPOINT': JSON.stringify(target.collectorUrl),
  }
  await build({ root: SPA, logLevel: 'warn', define, build: { outDir, emptyOutDir: true } })
  const port = await freePort()
  const server = await preview({
    root: SPA,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port, strictPort: true },
  })
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() }
}
