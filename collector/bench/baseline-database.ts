import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'
import type { BenchStore } from './bench-store'

/**
 * The benchmark's own access to the run's database, for the COPY baseline:
 * plain SQL, `COPY … TO` to read stored rows in COPY's text form and
 * `COPY … FROM` to write them. On PostgreSQL, postgres.js's COPY streams
 * with up to 32 connections; on PGlite, which is one connection in one
 * process, `/dev/blob` on the folder the collector has let go of.
 */
export interface BaselineDatabase {
  /** How many COPYs can run at once. */
  maxConnections: number
  query<T>(text: string): Promise<T[]>
  /** The rows of `select`, one COPY text line each. */
  exportRows(select: string): Promise<string[]>
  /** One `COPY table FROM` of these lines, committed on its own. */
  copyIn(table: string, lines: string[]): Promise<void>
  close(): Promise<void>
}

/**
 * @example
 * const db = await openBaselineDatabase(store)
 * const lines = await db.exportRows('SELECT * FROM events')
 */
export async function openBaselineDatabase(store: BenchStore): Promise<BaselineDatabase> {
  if (store.kind === 'pglite') return pgliteDatabase(await PGlite.create({ dataDir: join(store.dataDir, 'pgdata') }))
  const sql = postgres(store.url, { max: 32, onnotice: () => {}, ...withoutDelay(store.url) })
  return {
    maxConnections: 32,
    query: async <T>(text: string) => (await sql.unsafe(text)) as unknown as T[],
    async exportRows(select) {
      // On a connection of its own: postgres.js can leave the socket of a COPY TO
      // paused once its stream has pushed back, and the next query on it would hang.
      const reader = postgres(store.url, { max: 1, onnotice: () => {} })
      try {
        const chunks: Buffer[] = []
        for await (const chunk of await reader.unsafe(`COPY (${select}) TO STDOUT`).readable()) chunks.push(chunk as Buffer)
        return toLines(Buffer.concat(chunks).toString('utf8'))
      } finally {
        await reader.end({ timeout: 1 })
      }
    },
    async copyIn(table, lines) {
      await pipeline(Readable.from([`${lines.join('\n')}\n`]), await sql.unsafe(`COPY ${table} FROM STDIN`).writable())
    },
    close: () => sql.end(),
  }
}

/**
 * postgres.js leaves Nagle's algorithm on. A COPY's last message (CopyDone) is
 * small and follows the data, so it waits for the server to acknowledge the
 * data, which Linux delays by 40 ms: every 100-row COPY took about 50 ms
 * instead of 9, and the baseline understated COPY 5× at one connection
 * (collector/docs/performance.md, "Third pass").
 */
function withoutDelay(url: string) {
  const { hostname, port } = new URL(url)
  const socket = () =>
    new Promise<Socket>((resolve, reject) => {
      const connection = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || 5432), noDelay: true })
      connection.once('connect', () => resolve(connection)).once('error', reject)
    })
  return { socket } as Record<string, unknown>
}

function pgliteDatabase(pglite: PGlite): BaselineDatabase {
  return {
    maxConnections: 1,
    query: async <T>(text: string) => (await pglite.query<T>(text)).rows,
    async exportRows(select) {
      const { blob } = await pglite.query(`COPY (${select}) TO '/dev/blob'`)
      return toLines(blob ? await blob.text() : '')
    },
    async copyIn(table, lines) {
      await pglite.query(`COPY ${table} FROM '/dev/blob'`, [], { blob: new Blob([`${lines.join('\n')}\n`]) })
    },
    close: () => pglite.close(),
  }
}

/** COPY's text form escapes newlines inside values, so a line is a row. */
const toLines = (text: string) => text.split('\n').filter((line) => line !== '')
