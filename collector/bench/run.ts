/**
 * `pnpm bench`: the ingest benchmark (collector/docs/performance.md).
 *
 *   pnpm bench                                   # PGlite
 *   DATABASE_URL=postgres://… pnpm bench         # PGlite, then PostgreSQL
 *   BENCH_DB=postgres BENCH_SECONDS=30 pnpm bench
 *
 * Prints a table per database and writes each run's figures to
 * `bench/results/<database>-<time>.json` (`BENCH_RESULTS_DIR`), which
 * `pnpm bench:compare a.json b.json` puts side by side.
 */
import { assertCliBuilt } from '../src/testing/built-cli'
import { benchDatabase } from './bench-run'
import { formatReport, startReport, writeReport } from './report'
import { loadSettings } from './settings'

async function main() {
  const settings = loadSettings(process.env)
  // The collector runs from its build, as deployed: refuse a build older than the sources.
  assertCliBuilt()
  for (const database of settings.databases) {
    const report = startReport(settings)
    const figures = await benchDatabase(database, settings, (line) => process.stderr.write(`${line}\n`))
    const done = report.finish(figures)
    const path = writeReport(settings.resultsDir, done)
    process.stdout.write(`\n${formatReport(done)}\nfigures: ${path}\n\n`)
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench: ${error.stack ?? error.message}\n`)
  process.exit(1)
})
