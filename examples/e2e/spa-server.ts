import { mkdtempSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, preview } from 'vite'

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
  const server = await preview({
    root: SPA,
    logLevel: 'warn',
    build: { outDir },
    // Port 0: the OS picks a free one while binding.
    preview: { host: '127.0.0.1', port: 0, strictPort: true },
  })
  const { port } = server.httpServer.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() }
}
