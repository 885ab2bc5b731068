import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  assertCliBuilt,
  exitOf,
  expectCliFailure,
  removeTempDirs,
  runCli,
  type StartedCli,
  startCli,
  tempDir,
} from './testing/cli-process'

const SECRET = 'workers-test-secret-that-is-at-least-32-characters'

beforeAll(assertCliBuilt)
afterAll(removeTempDirs)

describe('stratum start --workers: refused before anything is written', () => {
  test.each([
    [['start', '--workers', '2'], { DATABASE_URL: undefined }, /--workers needs a PostgreSQL server \(DATABASE_URL\): embedded PGlite/],
    [['start', '--workers', 'two'], {}, /--workers must be a whole number from 1 to 256/],
    [['start', '--workers', '0'], {}, /--workers must be a whole number from 1 to 256/],
    [['migrate', '--workers', '2'], {}, /--workers is an option of start/],
  ])('%j → exit 1 with a clear message', async (args, vars, message) => {
    const dataDir = join(tempDir(), 'untouched')
    expectCliFailure(await runCli(args, { STRATUM_DATA_DIR: dataDir, ...vars }), message)
    expect(existsSync(dataDir)).toBe(false)
  })
})

/** The JSON log lines printed so far (stdout: info, stderr: warn and error). */
function logLines(cli: StartedCli): Array<Record<string, unknown>> {
  return `${cli.stdout()}\n${cli.stderr()}`
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line))
}

/** Polls `check` until it returns something, for up to a minute. */
async function waitFor<T>(what: string, check: () => T | undefined): Promise<T> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const found = check()
    if (found !== undefined) return found
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** What `POST /events` answered. */
type Answer = { status: number; accepted: number; duplicates: number }

/** POSTs JSON on a connection of its own, so that the primary hands each request to the next worker. */
function post(url: string, token: string, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      let text = ''
      res.on('data', (chunk) => {
        text += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ...JSON.parse(text) }))
    })
    req.once('error', reject)
    req.end(body)
  })
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe.skipIf(!process.env.DATABASE_URL)('stratum start --workers on PostgreSQL', () => {
  test('two workers share the port and the events; a killed worker is replaced; SIGTERM stops them all', async () => {
    const cli = startCli({ STRATUM_DATA_DIR: tempDir(), STRATUM_JWT_SECRET: SECRET, STRATUM_LOG: 'on' }, ['--workers', '2'])
    const { child } = cli
    try {
      const banner = await cli.ready
      expect(banner).toContain('Workers:     2 processes on one port')
      const url = /API:\s+(\S+)/.exec(banner)![1]!
      const token = /Dev JWT:\s+(\S+)/.exec(banner)![1]!
      const listening = () => logLines(cli).filter((l) => l.msg === 'worker_listening').map((l) => l.worker as number)
      const first = listening()
      expect(first).toHaveLength(2)

      /** A fresh batch of 5 events of one visitor, and how to send it. */
      const batch = () => {
        const anonymousId = `anon_${randomUUID()}`
        const events = Array.from({ length: 5 }, () => ({
          event_id: randomUUID(),
          event_name: 'PageView',
          event_time: new Date().toISOString(),
          identifiers: [{ type: 'anonymous_id', value: anonymousId }],
        }))
        const body = JSON.stringify({ sent_at: new Date().toISOString(), events })
        return () => post(`${url}/events`, token, body)
      }
      const answeredBy = () =>
        logLines(cli)
          .filter((l) => l.msg === 'request' && l.method === 'POST')
          .map((l) => l.worker as number)

      // Stored once whichever worker answers: replays, handed to each worker in turn, are duplicates.
      const send = batch()
      expect(await send()).toMatchObject({ status: 200, accepted: 5, duplicates: 0 })
      for (let i = 0; i < 4; i++) expect(await send()).toMatchObject({ status: 200, accepted: 0, duplicates: 5 })
      await waitFor('the request log', () => (answeredBy().length === 5 ? true : undefined))
      expect(new Set(answeredBy())).toEqual(new Set(first))

      // A worker that dies is logged and replaced; the other one serves meanwhile.
      process.kill(first[0]!, 'SIGKILL')
      const exited = await waitFor('the worker_exited line', () =>
        logLines(cli).find((l) => l.msg === 'worker_exited' && l.worker === first[0]),
      )
      expect(exited).toMatchObject({ level: 'error', signal: 'SIGKILL' })
      expect(await batch()()).toMatchObject({ status: 200, accepted: 5 })
      const replacement = await waitFor('a new worker', () => listening().find((pid) => !first.includes(pid)))
      expect(isAlive(first[0]!)).toBe(false)
      expect(isAlive(replacement)).toBe(true)
      const afterRestart = batch()
      for (let i = 0; i < 4; i++) expect(await afterRestart()).toMatchObject({ status: 200, accepted: i ? 0 : 5, duplicates: i ? 5 : 0 })

      // SIGTERM to the primary: each worker shuts down gracefully, then the primary exits 0.
      const stopped = exitOf(child)
      child.kill('SIGTERM')
      expect(await stopped, cli.stderr()).toBe(0)
      for (const pid of [first[1]!, replacement]) expect(isAlive(pid)).toBe(false)
      expect(logLines(cli).filter((l) => l.msg === 'stopped').map((l) => l.worker).sort()).toEqual([first[1], replacement].sort())
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  }, 180_000)
})
