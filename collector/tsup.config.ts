import { defineConfig } from 'tsup'

export default defineConfig({
  // The resolver thread's entry is a file of its own: a worker starts from a file (src/resolver/thread-resolver.ts).
  entry: { index: 'src/index.ts', cli: 'src/cli.ts', 'resolver-thread': 'src/resolver/resolver-thread.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  // The shared identity module is bundled in, so the CLI runs without the pixel's build.
  noExternal: ['@stratum/pixel'],
})
