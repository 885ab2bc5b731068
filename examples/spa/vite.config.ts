import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig, loadEnv } from 'vite'

const HERE = fileURLToPath(new URL('.', import.meta.url))
const DEMO = fileURLToPath(new URL('../../.stratum/demo.json', import.meta.url))

/** The demo source that `pnpm start` created in the default data folder, if any. */
function demoSourceKey(): string {
  try {
    return String(JSON.parse(readFileSync(DEMO, 'utf8')).sourceKey ?? '')
  } catch {
    return ''
  }
}

/**
 * The pixel's source key and collector come from `VITE_STRATUM_SOURCE_KEY`
 * and `VITE_STRATUM_ENDPOINT` (environment or `.env`); without them, the
 * demo source of a local `pnpm start`, so that `pnpm --filter spa dev` just
 * works beside it.
 */
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, HERE, 'VITE_STRATUM_')
  return {
    define: {
      'import.meta.env.VITE_STRATUM_SOURCE_KEY': JSON.stringify(env.VITE_STRATUM_SOURCE_KEY || demoSourceKey()),
      'import.meta.env.VITE_STRATUM_ENDPOINT': JSON.stringify(env.VITE_STRATUM_ENDPOINT || 'http://localhost:8787'),
    },
  }
})
