import { defineConfig } from 'vite'

/**
 * The console is a static single-page app served by the collector under
 * `/console/` (collector/docs/console.md). Preact's automatic JSX runtime
 * through Vite's own Oxc transform: no plugin needed.
 */
export default defineConfig({
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Every asset is a file of its own: the CSP has no data: scripts or styles.
    assetsInlineLimit: 0,
    // The module-preload polyfill is not needed by current browsers and would add code to the entry.
    modulePreload: { polyfill: false },
  },
})
