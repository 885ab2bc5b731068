// Size helpers shared by check-size.mjs (CI budget) and bench/size.bench.mjs.
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

/** Bytes of `content` gzipped at level 9, as a CDN would serve it. */
export function gzipLength(content) {
  return gzipSync(content, { level: 9 }).length
}

/** Bytes of `file` gzipped at level 9. */
export function gzipSize(file) {
  return gzipLength(readFileSync(file))
}

/** `6.02 KB` for 6164 bytes. */
export function kb(bytes) {
  return `${(bytes / 1024).toFixed(2)} KB`
}
