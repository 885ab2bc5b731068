// Minifies snippet/snippet.js into snippet/snippet.min.js (the text to paste into pages).
// Run by `pnpm build` (tsup's onSuccess) and by hand: `node scripts/build-snippet.mjs`.
import { readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

// esbuild comes with tsup; resolving it through tsup avoids a second copy.
const require = createRequire(import.meta.url)
const esbuild = createRequire(require.resolve('tsup'))('esbuild')

const source = fileURLToPath(new URL('../snippet/snippet.js', import.meta.url))
const target = fileURLToPath(new URL('../snippet/snippet.min.js', import.meta.url))

/** Builds snippet.min.js and returns its size in bytes. */
export async function buildSnippet() {
  const { code } = await esbuild.transform(await readFile(source, 'utf8'), {
    minify: true,
    target: 'es5',
    legalComments: 'none',
  })
  await writeFile(target, code)
  return Buffer.byteLength(code)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`snippet/snippet.min.js: ${await buildSnippet()} bytes`)
}
