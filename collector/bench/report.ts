import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import type { DatabaseFigures } from './bench-run'
import { ratioToCopy } from './copy-baseline'
import type { BenchSettings } from './settings'

/** What one run on one database wrote to its JSON file. */
export interface BenchReport {
  benchmark: 'ingest'
  startedAt: string
  /** The checkout measured, `+dirty` when it had uncommitted changes. */
  commit: string
  node: string
  cpus: string
  /** The machine's 1-minute load average before and after: how much else was running. */
  loadAverage: { before: number; after: number }
  settings: Omit<BenchSettings, 'databaseUrl' | 'databases' | 'resultsDir'>
  figures: DatabaseFigures
}

/**
 * Describes the machine and the checkout at the start of a run; `finish`
 * adds the figures.
 *
 * @example
 * const report = startReport(settings).finish(figures)
 */
export function startReport(settings: BenchSettings) {
  const startedAt = new Date().toISOString()
  const before = loadavg()[0]!
  const { databaseUrl: _url, databases: _dbs, resultsDir: _dir, ...kept } = settings
  return {
    finish: (figures: DatabaseFigures): BenchReport => ({
      benchmark: 'ingest',
      startedAt,
      commit: commitOf(),
      node: process.version,
      cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
      loadAverage: { before: round2(before), after: round2(loadavg()[0]!) },
      settings: kept,
      figures,
    }),
  }
}

/**
 * Writes `<database>-<time>.json` under `dir` and returns its path.
 *
 * @example
 * writeReport('bench/results', report) // 'bench/results/postgres-2026-01-13T15-30-00-000Z.json'
 */
export function writeReport(dir: string, report: BenchReport): string {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, `${report.figures.database}-${report.startedAt.replace(/[:.]/g, '-')}.json`)
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`)
  return path
}

/**
 * The run as a table: the COPY baseline, the collector at each number of
 * connections with its ratio to COPY at the same number, the open-loop
 * phases, then round trips and memory.
 *
 * @example
 * console.log(formatReport(report))
 */
export function formatReport(report: BenchReport): string {
  const f = report.figures
  const rows: string[][] = [['', 'events/s', 'p50 ms', 'p95 ms', 'p99 ms', '× COPY', 'lag p50/p99 ms', 'RSS peak MiB']]
  for (const c of f.copy) {
    rows.push([`COPY into a clone of events, ${c.connections} conn.`, n(c.eventsPerSecond), ...ms(c.latency), '1', '', ''])
  }
  for (const c of f.closed) {
    const ratio = ratioToCopy(f.copy, c.connections, c.eventsPerSecond)
    rows.push([
      `collector, ${c.connections} conn.${c.exhausted ? ' (bodies ran out)' : ''}`,
      n(c.eventsPerSecond),
      ...ms(c.latency),
      ratio === null ? 'n/a' : ratio.toFixed(3),
      lag(c.lag),
      mib(c.memory?.peakMiB),
    ])
  }
  for (const o of f.open) {
    const offered = Math.round(o.batchesPerSecond * 100)
    rows.push([`collector, open loop ${Math.round(o.fraction * 100)} % (${n(offered)}/s)`, n(o.eventsPerSecond), ...ms(o.latency), '', lag(o.lag), mib(o.memory?.peakMiB)])
  }
  const lines = [
    `Ingest on ${f.database} ${f.server.version} (fsync ${f.server.fsync}, synchronous_commit ${f.server.synchronous_commit}, autovacuum ${f.server.autovacuum}, shared_buffers ${f.server.shared_buffers}) — commit ${report.commit}, node ${report.node}, ${report.cpus}`,
    `load average ${report.loadAverage.before} before, ${report.loadAverage.after} after; ${report.settings.seconds} s per phase; 100-event batches from ${n(report.settings.people)} returning people${f.database === 'postgres' && report.settings.workers > 1 ? `; ${report.settings.workers} collector workers` : ''}${f.database === 'postgres' && !report.settings.resolverThread ? '; resolver on the main thread' : ''}${report.settings.roundSize ? `; ${n(report.settings.roundSize)} events per round` : ''}`,
    '',
    ...formatTable(rows),
    '',
    `warm-up: ${n(f.warmUp.events)} events at ${n(f.warmUp.eventsPerSecond)} events/s (8 conn.), not in the table`,
    `with one enabled destination (Meta, every event delivered to a local sink): ${n(f.withDestination.phase.eventsPerSecond)} events/s at ${f.withDestination.connections} conn. = ${f.withDestination.ratio.toFixed(2)} × without; ${n(f.withDestination.delivered)} events delivered during the phase`,
    f.roundTrips
      ? `PostgreSQL per batch (${f.roundTrips.batches} batches, ${f.roundTrips.connections} conn.): ${f.roundTrips.roundTripsPerBatch} round trips, ${f.roundTrips.statementsPerBatch} statements, ${f.roundTrips.parsesPerBatch} parses, ${f.roundTrips.commitsPerBatch} commits; ${f.roundTrips.rowsWrittenPerEvent} rows written per event`
      : `round trips: n/a on ${f.database === 'pglite' ? 'PGlite (no wire: the database runs inside the collector)' : 'this connection (encrypted)'}`,
    `resolution backlog left by each phase, and the time it took to clear with no load: ${backlogs(f)}`,
    `collector RSS after the load: ${mib(f.afterLoad.memory?.lastMiB)} MiB, after at least ${n(f.afterLoad.eventsIngested)} events`,
    ...timeLines(f),
    ...problems(f),
  ]
  return lines.join('\n')
}

function backlogs(f: DatabaseFigures): string {
  const phases = [...f.closed.map((c) => ({ name: `${c.connections} conn.`, ...c })), ...f.open.map((o) => ({ name: `open ${Math.round(o.fraction * 100)} %`, ...o }))]
  return phases
    .map(({ name, backlog: b }) => `${name} ${n(b.pending)} in ${b.seconds} s${b.cleared ? '' : ' (not cleared)'}`)
    .join('; ')
}

/** Where a batch's time went, phase by phase: the median batch, and the slowest 1 % (what p99 is made of). */
function timeLines(f: DatabaseFigures): string[] {
  const phases = [...f.closed.map((c) => ({ name: `${c.connections} conn.`, ...c })), ...f.open.map((o) => ({ name: `open ${Math.round(o.fraction * 100)} %`, ...o }))]
  const timed = phases.filter((p) => p.serverTiming !== null)
  if (timed.length === 0) return []
  const parts = Object.keys(timed[0]!.serverTiming!.median)
  const rows = [['where a batch\'s time went, ms (Server-Timing)', ...parts]]
  for (const p of timed) {
    const t = p.serverTiming!
    rows.push([`${p.name}, median`, ...parts.map((part) => String(t.median[part]))])
    rows.push([`${p.name}, slowest ${t.slowestCount} (1 %), mean`, ...parts.map((part) => String(t.slowest[part]))])
  }
  return ['', ...formatTable(rows)]
}

function problems(f: DatabaseFigures): string[] {
  const phases = [...f.closed.map((c) => ({ name: `${c.connections} conn.`, ...c })), ...f.open.map((o) => ({ name: `open ${o.fraction}`, ...o }))]
  return phases
    .filter((p) => p.errors > 0 || p.notAccepted > 0 || p.lag.timeouts > 0)
    .map((p) => `! ${p.name}: ${p.errors} failed requests, ${p.notAccepted} events not accepted, ${p.lag.timeouts} lag probes unresolved ${p.errorSamples.join(' | ')}`)
}

/**
 * Aligns rows of cells: the first column to the left, the others to the right.
 *
 * @example
 * formatTable([['', 'events/s'], ['COPY', '24,000']])
 */
export function formatTable(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '))
}

const n = (value: number) => value.toLocaleString('en-US')
const ms = (p: { p50: number; p95: number; p99: number }) => [p.p50, p.p95, p.p99].map(n)
const lag = (l: { count: number; p50: number; p99: number }) => (l.count === 0 ? 'n/a' : `${n(l.p50)} / ${n(l.p99)}`)
const mib = (value: number | undefined) => (value === undefined ? 'n/a' : n(value))
const round2 = (value: number) => Math.round(value * 100) / 100

function commitOf(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim()
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? '+dirty' : ''}`
  } catch {
    return 'unknown'
  }
}
