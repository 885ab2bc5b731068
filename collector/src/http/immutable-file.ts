import { StratumError } from '../errors'

/** A file read for the browser: its bytes and their type. */
export interface StaticFile {
  body: Buffer
  contentType: string
}

/**
 * Answers a file whose URL changes whenever its content does (a hashed
 * build name, a pinned package version), so browsers may keep it for good;
 * a file that was not found is the usual 404.
 *
 * @example
 * app.get('/console/assets/:file', async (c) => immutableFile(await readConsoleAsset(dir, c.req.param('file'))))
 */
export function immutableFile(file: StaticFile | undefined): Response {
  if (!file) throw new StratumError(404, 'not_found', 'No such route')
  return new Response(new Uint8Array(file.body), {
    headers: {
      'content-type': file.contentType,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    },
  })
}
