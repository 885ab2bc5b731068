import { connect } from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startTestServer, type TestServer } from '../testing/test-server'

let running: TestServer
beforeAll(async () => {
  running = await startTestServer()
})
afterAll(() => running.close())

/** Writes raw bytes to the server and reads everything it answers until it closes the connection. */
function exchange(bytes: string): Promise<string> {
  const { hostname, port } = new URL(running.server.url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes))
    let answer = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      answer += chunk
    })
    socket.on('end', () => resolve(answer))
    socket.on('error', (error: NodeJS.ErrnoException) => (answer ? resolve(answer) : reject(error)))
  })
}

/** Splits a raw HTTP/1.1 response into status, headers and the parsed JSON body. */
function parse(answer: string) {
  const [head = '', body = ''] = answer.split('\r\n\r\n')
  const [statusLine = '', ...lines] = head.split('\r\n')
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
  return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) }
}

test('headers over the server limit → 431 in the error shape, with a length and Connection: close', async () => {
  const answer = parse(await exchange(`GET /livez HTTP/1.1\r\nHost: x\r\nCookie: ${'a'.repeat(20 * 1024)}\r\n\r\n`))
  expect(answer.status).toBe(431)
  expect(answer.headers['content-type']).toBe('application/json')
  expect(answer.headers.connection).toBe('close')
  expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify(answer.body)))
  expect(answer.body).toEqual({ error: { code: 'headers_too_large', message: expect.any(String), details: [] } })
})

test('a request that is not HTTP → 400 in the error shape', async () => {
  const answer = parse(await exchange('HELLO THERE\r\n\r\n'))
  expect(answer.status).toBe(400)
  expect(answer.body).toEqual({ error: { code: 'bad_request', message: expect.any(String), details: [] } })
})

test('the server still answers afterwards', async () => {
  expect((await fetch(`${running.server.url}/livez`)).status).toBe(200)
})
