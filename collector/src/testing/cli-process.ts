import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { BUILT_CLI as CLI, REPO_ROOT as ROOT } from './built-cli'

export { assertCliBuilt } from './built-cli'

/** What one finished CLI run printed. */
export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

const dirs: string[] = []

/**
 * A fresh folder, removed by {@link removeTempDirs}.
 *
 * @example
 * const dataDir = tempDir()
 */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stratum-cli-'))
  dirs.push(dir)
  return dir
}

/**
 * Removes the folders {@link tempDir} made. For a test file's `afterAll`.
 *
 * @example
 * afterAll(removeTempDirs)
 */
export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
}

/** The environment a user would have: none of the parent's STRATUM_* or NODE_ENV, DATABASE_URL only when the suite runs on PostgreSQL. */
function env(vars: Record<string, string | undefined>) {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() }
  if (process.env.DATABASE_URL) base.DATABASE_URL = process.env.DATABASE_URL
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete base[k]
    else base[k] = v
  }
  return base
}

/**
 * Runs the CLI to completion; `undefined` in `vars` removes a variable.
 *
 * @example
 * const { code, stdout } = await runCli(['token', '--tenant', id], { STRATUM_JWT_SECRET: secret })
 */
export function runCli(args: string[], vars: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env: env(vars), timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
  })
}

/**
 * Asserts a clean usage failure: exit 1, the message on stderr, no stack trace.
 *
 * @example
 * expectCliFailure(await runCli(['frobnicate']), /unknown command/)
 */
export function expectCliFailure(result: CliResult, message: string | RegExp): void {
  expect(result.code).toBe(1)
  expect(result.stderr).toMatch(message)
  expect(result.stderr).not.toMatch(/^\s+at /m)
}

/** A `stratum start` running in a child process. */
export interface StartedCli {
  child: ChildProcess
  /** Resolves with stdout once the banner is printed (after the server listens); rejects if it exits first. */
  ready: Promise<string>
  stdout(): string
  stderr(): string
}

/**
 * Starts `stratum start` on a port the OS picks, with the request log off
 * unless `vars` turn it on; the caller stops it.
 *
 * @example
 * const { child, ready } = startCli({ STRATUM_DATA_DIR: tempDir() })
 * await ready
 * child.kill('SIGTERM')
 */
export function startCli(vars: Record<string, string>, args: string[] = []): StartedCli {
  const child = spawn(process.execPath, [CLI, 'start', ...args], {
    cwd: ROOT,
    env: env({ PORT: '0', HOST: '127.0.0.1', STRATUM_LOG: 'off', ...vars }),
  })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk
      // The banner is written at once, after the server listens.
      if (stdout.includes('is running')) resolve(stdout)
    })
    child.once('exit', (code) => reject(new Error(`exited with ${code} before it was ready: ${stderr}`)))
  })
  return { child, ready, stdout: () => stdout, stderr: () => stderr }
}

/**
 * The exit code, at once when the child has already exited (a failed start).
 *
 * @example
 * const exited = exitOf(child)
 * child.kill('SIGTERM')
 * expect(await exited).toBe(0)
 */
export function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))))
}
