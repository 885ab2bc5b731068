import { spawnSync } from 'node:child_process'
import { accessSync, constants, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { delimiter } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium } from '@playwright/test'
import { type ChromiumProbe, findChromium } from './find-chromium'

const log = (line: string) => console.log(`[chromium] ${line}`)

/** The line of a failed command's output that says what went wrong: its first error, else its last line. */
function reasonOf(output: string) {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
  return lines.find((line) => /^(Error|E):/.test(line)) ?? lines.find((line) => /fail|unable|could not/i.test(line)) ?? lines.at(-1)
}

/** This machine: its files, `PATH`, user and commands. */
function systemProbe(): ChromiumProbe {
  return {
    chromiumPath: process.env.CHROMIUM_PATH || undefined,
    pathDirs: [...new Set([...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/bin'])],
    playwrightChromium: chromium.executablePath(),
    playwrightInstall: [process.execPath, createRequire(import.meta.url).resolve('@playwright/test/cli'), 'install', 'chromium'],
    isRoot: process.getuid?.() === 0,
    isExecutable(path) {
      try {
        accessSync(path, constants.X_OK)
        return statSync(path).isFile()
      } catch {
        return false
      }
    },
    run([command, ...args], timeoutMs) {
      const result = spawnSync(command!, args, {
        timeout: timeoutMs,
        encoding: 'utf8',
        // Give up on a host that does not answer rather than wait on it.
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', PLAYWRIGHT_DOWNLOAD_CONNECTION_TIMEOUT: '15000' },
      })
      if (result.status === 0) return true
      log(`failed: ${result.error?.message ?? reasonOf(`${result.stderr}\n${result.stdout}`)}`)
      return false
    },
    log,
  }
}

/**
 * Finds (or installs) the Chromium the browser tests run in and puts its
 * path in `CHROMIUM_PATH`, which the test workers inherit and read in
 * `chromiumLaunchOptions`. Called by the e2e global setup, and by
 * `pnpm test` before anything else so that a missing browser is reported in
 * seconds, not after the unit tests.
 *
 * @example
 * ensureChromium() // '/usr/bin/chromium'
 */
export function ensureChromium(): string {
  const path = findChromium(systemProbe())
  process.env.CHROMIUM_PATH = path
  return path
}

// `node --import tsx pixel/e2e/support/ensure-chromium.ts`: one line either way.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    log(`using ${ensureChromium()}`)
  } catch (error) {
    console.error((error as Error).message)
    process.exit(1)
  }
}
