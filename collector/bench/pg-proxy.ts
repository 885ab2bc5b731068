import { connect, createServer } from 'node:net'

/** PostgreSQL protocol messages counted by the proxy. */
export interface ProtocolCounts {
  /** ReadyForQuery + CopyInResponse: each time the client waits for the server before it can go on. */
  roundTrips: number
  /** Execute + simple Query messages: the statements run. */
  statements: number
  /** Parse messages: statements planned from text (an unnamed statement is parsed on every run). */
  parses: number
  /** Rows inserted, updated, deleted, merged or copied, from the servers' command tags. */
  rowsWritten: number
  /** COMMIT command tags: transactions. */
  commits: number
}

/** Command tags whose last number is a count of rows written (`INSERT 0 100`, `UPDATE 7`, `COPY 100`). */
const WRITE_TAG = /^(INSERT|UPDATE|DELETE|MERGE|COPY)\b.* (\d+)$/

/** The first bytes of an SSLRequest or GSSENCRequest: an encrypted stream cannot be read. */
const ENCRYPTION_REQUESTS = new Set([80877103, 80877104])

/**
 * A TCP proxy on 127.0.0.1 in front of a PostgreSQL server that counts the
 * protocol messages going through, whatever client library the collector
 * uses. It reads each message's type and length, and the command tags the
 * server sends back. A connection that asks for TLS makes the counts
 * unreadable (`counts()` then answers null).
 *
 * @example
 * const proxy = await startCountingProxy({ host: '127.0.0.1', port: 5432 })
 * // point the collector at 127.0.0.1:proxy.port
 * proxy.reset(); … ; proxy.counts() // { roundTrips: 40, statements: 21, parses: 19, rowsWritten: 512, commits: 1 }
 */
export async function startCountingProxy(upstream: { host: string; port: number }) {
  const zero = (): ProtocolCounts => ({ roundTrips: 0, statements: 0, parses: 0, rowsWritten: 0, commits: 0 })
  let counts = zero()
  let encrypted = false
  const fromClient = (type: number) => {
    if (type === 0x45 || type === 0x51) counts.statements++ // 'E', 'Q'
    else if (type === 0x50) counts.parses++ // 'P'
  }
  const fromServer = (type: number, body?: Buffer) => {
    if (type === 0x5a || type === 0x47) counts.roundTrips++ // 'Z', 'G'
    if (!body) return
    const tag = body.toString('utf8', 0, body.length - 1) // CommandComplete: a NUL-terminated tag
    if (tag === 'COMMIT') counts.commits++
    const written = WRITE_TAG.exec(tag)
    if (written) counts.rowsWritten += Number(written[2])
  }
  const server = createServer((client) => {
    const backend = connect(upstream.port, upstream.host)
    client.on('data', messageReader({ startup: true, onMessage: fromClient, onEncrypted: () => (encrypted = true) }))
    backend.on('data', messageReader({ startup: false, onMessage: fromServer, keepBodyOf: 0x43 })) // 'C'
    client.pipe(backend)
    backend.pipe(client)
    client.on('error', () => backend.destroy())
    backend.on('error', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    reset() {
      counts = zero()
    },
    counts: (): ProtocolCounts | null => (encrypted ? null : { ...counts }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/**
 * Follows message boundaries in one direction of a connection and reports
 * each message's type byte, with the body of messages of type `keepBodyOf`.
 * A client's first message has no type byte.
 */
function messageReader(options: {
  startup: boolean
  onMessage: (type: number, body?: Buffer) => void
  onEncrypted?: () => void
  keepBodyOf?: number
}) {
  let header = Buffer.alloc(0)
  let untyped = options.startup
  let type = 0
  let remaining = 0
  let kept: Buffer[] | undefined
  return (chunk: Buffer) => {
    let at = 0
    while (at < chunk.length) {
      if (remaining > 0) {
        const n = Math.min(remaining, chunk.length - at)
        kept?.push(chunk.subarray(at, at + n))
        remaining -= n
        at += n
        if (remaining === 0 && kept) {
          options.onMessage(type, Buffer.concat(kept))
          kept = undefined
        }
        continue
      }
      // Untyped: length and protocol code (8 bytes); typed: type and length (5 bytes).
      const size = untyped ? 8 : 5
      const take = Math.min(size - header.length, chunk.length - at)
      header = Buffer.concat([header, chunk.subarray(at, at + take)])
      at += take
      if (header.length < size) return
      if (untyped) {
        if (ENCRYPTION_REQUESTS.has(header.readInt32BE(4))) options.onEncrypted?.()
        remaining = header.readInt32BE(0) - 8
        untyped = false
      } else {
        type = header[0]!
        remaining = header.readInt32BE(1) - 4
        if (type === options.keepBodyOf && remaining > 0) kept = []
        else options.onMessage(type)
      }
      header = Buffer.alloc(0)
    }
  }
}
