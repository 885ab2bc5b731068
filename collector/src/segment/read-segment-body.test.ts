import { brotliCompressSync, gzipSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { readSegmentBody } from './read-segment-body'

const request = (body: BodyInit | undefined, headers: Record<string, string> = {}) => new Request('http://collector/v1/batch', { method: 'POST', body, headers })
const refusal = (promise: Promise<unknown>) => promise.then(() => 'read', (error) => `${error.status} ${error.code}`)

describe('readSegmentBody', () => {
  test('JSON whatever the content type, plain or compressed', async () => {
    const json = JSON.stringify({ batch: [{ type: 'track' }] })
    expect(await readSegmentBody(request(json, { 'content-type': 'text/plain' }), 1024)).toEqual({ batch: [{ type: 'track' }] })
    expect(await readSegmentBody(request(new Uint8Array(gzipSync(json)), { 'content-encoding': 'GZIP' }), 1024)).toEqual({ batch: [{ type: 'track' }] })
    expect(await readSegmentBody(request(new Uint8Array(brotliCompressSync(json)), { 'content-encoding': 'br' }), 1024)).toEqual({ batch: [{ type: 'track' }] })
  })

  test('the limit holds for the body as sent and as decompressed', async () => {
    const big = JSON.stringify({ x: 'y'.repeat(2000) })
    expect(await refusal(readSegmentBody(request(big), 1024))).toBe('400 payload_too_large')
    expect(await refusal(readSegmentBody(request(new Uint8Array(gzipSync(big)), { 'content-encoding': 'gzip' }), 1024))).toBe('400 payload_too_large')
  })

  test('what is not JSON, UTF-8 or a known encoding is refused', async () => {
    expect(await refusal(readSegmentBody(request(undefined), 1024))).toBe('400 invalid_json')
    expect(await refusal(readSegmentBody(request(' '), 1024))).toBe('400 invalid_json')
    expect(await refusal(readSegmentBody(request(new Uint8Array([0x7b, 0xff, 0x7d])), 1024))).toBe('400 invalid_utf8')
    expect(await refusal(readSegmentBody(request('{}', { 'content-encoding': 'gzip' }), 1024))).toBe('400 invalid_encoding')
    expect(await refusal(readSegmentBody(request('{}', { 'content-encoding': 'zstd' }), 1024))).toBe('415 unsupported_encoding')
  })
})
