import type { BaselineDatabase } from './baseline-database'
import { type Percentiles, percentiles, round } from './stats'
import { BATCH_SIZE } from './workload'

/** The baseline at one number of connections. */
export interface CopyFigures {
  connections: number
  events: number
  seconds: number
  eventsPerSecond: number
  /** Latency of one 100-row COPY. */
  latency: Percentiles
}

const CLONE = 'bench_events'

/**
 * A closed-loop rate as a fraction of the COPY baseline at the same number of
 * connections (or the nearest below it: PGlite has only one). Null without a baseline.
 *
 * @example
 * ratioToCopy(figures.copy, 8, 1300) // 0.063
 */
export function ratioToCopy(copy: CopyFigures[], connections: number, eventsPerSecond: number): number | null {
  const baseline = [...copy].reverse().find((c) => c.connections <= connections) ?? copy[0]
  return baseline ? Math.round((eventsPerSecond / baseline.eventsPerSecond) * 1000) / 1000 : null
}

/**
 * The rate the database itself allows: the rows the collector stored in this
 * run, read back, then written again by one `COPY bench_events FROM` per
 * 100-row batch (each its own transaction, as each of the collector's
 * batches is) into a clone of `events` with the same columns, keys, indexes
 * and monthly partitions. Measured at each number of connections (on PGlite,
 * one), the clone emptied between them. The clone is dropped at the end.
 *
 * @example
 * const figures = await copyBaseline(db, { tenantId, rows: 30000, connections: [1, 8, 32] })
 */
export async function copyBaseline(
  db: BaselineDatabase,
  options: { tenantId: string; rows: number; connections: number[] },
): Promise<CopyFigures[]> {
  const lines = await db.exportRows(
    `SELECT * FROM events WHERE tenant_id = '${options.tenantId}' ORDER BY received_at DESC LIMIT ${options.rows}`,
  )
  const batches: string[][] = []
  for (let i = 0; i + BATCH_SIZE <= lines.length; i += BATCH_SIZE) batches.push(lines.slice(i, i + BATCH_SIZE))
  await cloneEvents(db)
  try {
    const levels = [...new Set(options.connections.map((c) => Math.min(c, db.maxConnections)))]
    const figures: CopyFigures[] = []
    for (const connections of levels) {
      await db.query(`TRUNCATE ${CLONE}`)
      figures.push(await timeCopies(db, batches, connections))
    }
    return figures
  } finally {
    await db.query(`DROP TABLE ${CLONE}`)
  }
}

/**
 * `LIKE … INCLUDING ALL` copies columns, defaults, constraints and indexes
 * but not partitioning: the clone is partitioned the same way and given a
 * partition for each of `events`' partitions, with the same bounds.
 */
async function cloneEvents(db: BaselineDatabase) {
  await db.query(`CREATE TABLE ${CLONE} (LIKE events INCLUDING ALL) PARTITION BY RANGE (event_time)`)
  const partitions = await db.query<{ name: string; bound: string }>(`
    SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
    FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'events'::regclass
  `)
  for (const { name, bound } of partitions) await db.query(`CREATE TABLE bench_${name} PARTITION OF ${CLONE} ${bound}`)
}

async function timeCopies(db: BaselineDatabase, batches: string[][], connections: number): Promise<CopyFigures> {
  const latencies: number[] = []
  let next = 0
  const start = performance.now()
  const connection = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!
      const sentAt = performance.now()
      await db.copyIn(CLONE, batch)
      latencies.push(performance.now() - sentAt)
    }
  }
  await Promise.all(Array.from({ length: connections }, connection))
  const seconds = (performance.now() - start) / 1000
  const events = batches.length * BATCH_SIZE
  return { connections, events, seconds: round(seconds), eventsPerSecond: Math.round(events / seconds), latency: percentiles(latencies) }
}
