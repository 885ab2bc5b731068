import { defineConfig, type Options } from 'tsup'
// @ts-expect-error: a plain ESM script without types, shared with `node scripts/build-snippet.mjs`.
import { buildSnippet } from './scripts/build-snippet.mjs'

/**
 * The script-tag builds: self-contained, minified IIFEs for browsers since 2018. ES2019 syntax adds
 * only catch clauses without a binding, which every browser with the `AbortController` the pixel
 * needs anyway reads (Chrome 66, Firefox 58, Safari 12.1).
 */
const scriptTag: Options = {
  format: 'iife',
  platform: 'browser',
  target: 'es2019',
  minify: true,
  noExternal: [/.*/],
  outExtension: () => ({ js: '.js' }),
}

/**
 * `dist/stratum.min.js` (the core, ≤ 6 KB min+gzip, see scripts/check-size.mjs),
 * `dist/stratum-identity.min.js` (normalisation + SHA-256, fetched by the core
 * right after `init`), `dist/stratum-device.min.js` (FingerprintJS, fetched
 * only when a device id is wanted), and the npm entries: ESM + CJS + `.d.ts` for the SDK
 * (`dist/index.*`) and the identity module (`dist/identity.*`). The inline snippet
 * (`snippet/snippet.min.js`) is minified alongside.
 */
export default defineConfig([
  {
    entry: { index: 'src/index.ts', identity: 'src/identity/index.ts' },
    format: ['esm', 'cjs'],
    platform: 'browser',
    target: 'es2020',
    dts: true,
    clean: true,
    sourcemap: true,
  },
  { ...scriptTag, entry: { 'stratum.min': 'src/script-tag/script-tag.ts' }, onSuccess: async () => void (await buildSnippet()) },
  { ...scriptTag, entry: { 'stratum-identity.min': 'src/script-tag/identity-chunk.ts' } },
  { ...scriptTag, entry: { 'stratum-device.min': 'src/script-tag/device-chunk.ts' } },
])
