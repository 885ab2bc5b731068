/**
 * `pnpm bench:compare before.json after.json`: two runs of `pnpm bench` side
 * by side (say main, then a branch), each figure with its ratio after ÷
 * before. Rates are compared as they are, and also as ratios to the COPY
 * baseline of their own run, which cancels most of the machine's noise.
 */
import { readFileSync } from 'node:fs'
import { ratioToCopy } from './copy-baseline'
import { type BenchReport, formatTable } from './report'

type Figure = [label: string, value: number | null]

/** The figures worth comparing, labelled so that two runs line up. */
function figuresOf(report: BenchReport): Figure[] {
  const f = report.figures
  const rows: Figure[] = f.copy.map((c) => [`COPY ${c.connections} conn. events/s`, c.eventsPerSecond])
  for (const c of f.closed) {
    rows.push(
      [`${c.connections} conn. events/s`, c.eventsPerSecond],
      [`${c.connections} conn. × COPY`, ratioToCopy(f.copy, c.connections, c.eventsPerSecond)],
      [`${c.connections} conn. p50 ms`, c.latency.p50],
      [`${c.connections} conn. p99 ms`, c.latency.p99],
      [`${c.connections} conn. lag p99 ms`, c.lag.count ? c.lag.p99 : null],
      [`${c.connections} conn. RSS peak MiB`, c.memory?.peakMiB ?? null],
    )
  }
  for (const o of f.open) {
    const name = `open ${Math.round(o.fraction * 100)} %`
    rows.push([`${name} p99 ms`, o.latency.p99], [`${name} lag p99 ms`, o.lag.count ? o.lag.p99 : null])
    for (const [part, ms] of Object.entries(o.serverTiming?.slowest ?? {})) rows.push([`${name} slowest 1 %: ${part} ms`, ms])
  }
  rows.push(['RSS after load MiB', f.afterLoad.memory?.lastMiB ?? null])
  if (f.roundTrips) {
    rows.push(
      ['round trips per batch', f.roundTrips.roundTripsPerBatch],
      ['statements per batch', f.roundTrips.statementsPerBatch],
      ['rows written per event', f.roundTrips.rowsWrittenPerEvent],
    )
  }
  return rows
}

function main(paths: string[]) {
  if (paths.length !== 2) throw new Error('usage: pnpm bench:compare before.json after.json')
  const [before, after] = paths.map((p) => JSON.parse(readFileSync(p, 'utf8')) as BenchReport) as [BenchReport, BenchReport]
  if (before.figures.database !== after.figures.database) {
    process.stderr.write(`warning: comparing ${before.figures.database} with ${after.figures.database}\n`)
  }
  const beforeByLabel = new Map(figuresOf(before))
  const afterByLabel = new Map(figuresOf(after))
  const rows = [['', `${before.commit}`, `${after.commit}`, 'after ÷ before']]
  for (const label of new Set([...beforeByLabel.keys(), ...afterByLabel.keys()])) {
    const [a, b] = [beforeByLabel.get(label) ?? null, afterByLabel.get(label) ?? null]
    rows.push([label, String(a ?? 'n/a'), String(b ?? 'n/a'), a && b !== null ? (b / a).toFixed(2) : ''])
  }
  process.stdout.write(
    `${before.figures.database}: ${before.startedAt} (load ${before.loadAverage.before}) vs ${after.startedAt} (load ${after.loadAverage.before})\n${formatTable(rows).join('\n')}\n`,
  )
}

try {
  main(process.argv.slice(2))
} catch (error) {
  process.stderr.write(`bench:compare: ${(error as Error).message}\n`)
  process.exit(1)
}
