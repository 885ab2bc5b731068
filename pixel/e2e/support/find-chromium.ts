/** What the search for a Chromium may look at and do; injected so that the search itself is a pure function. */
export interface ChromiumProbe {
  /** `CHROMIUM_PATH`, when set. */
  chromiumPath?: string
  /** Folders to look for a browser in: `PATH`'s, then `/usr/bin`. */
  pathDirs: string[]
  /** Where Playwright keeps the Chromium it downloads (`chromium.executablePath()`), there or not. */
  playwrightChromium: string
  /** The command that downloads Playwright's Chromium. */
  playwrightInstall: string[]
  isRoot: boolean
  /** True for an executable file. */
  isExecutable(path: string): boolean
  /** Runs a command for at most `timeoutMs`; true when it exited with 0. */
  run(command: string[], timeoutMs: number): boolean
  /** Says what is happening, on one line. */
  log(line: string): void
}

/** A browser's names on `PATH`, in the order they are preferred. */
export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const

/**
 * Bounds on the installs, so that a machine without internet fails in
 * minutes rather than hanging. Playwright's Chromium is about 150 MB.
 */
export const INSTALL_TIMEOUT_MS = { playwright: 5 * 60_000, apt: 10 * 60_000 } as const

/** The one line printed when no Chromium can be had. */
export const NO_CHROMIUM =
  'No Chromium found: run `pnpm exec playwright install chromium` (or, as root, `apt-get install chromium`), or set CHROMIUM_PATH'

/**
 * Finds the Chromium the browser tests run in, installing one when there is
 * none: `CHROMIUM_PATH` when set (and nothing else then); else a browser on
 * `PATH` or in `/usr/bin`, or Playwright's own if already downloaded; else it
 * downloads Playwright's; else, as root where `apt-get` exists, installs
 * Debian's `chromium`. Throws an error of one line naming the command to
 * run when all of that fails. See the README's Development section.
 *
 * @example
 * const path = findChromium(systemProbe())
 */
export function findChromium(probe: ChromiumProbe): string {
  if (probe.chromiumPath) {
    if (probe.isExecutable(probe.chromiumPath)) return probe.chromiumPath
    throw new Error(`CHROMIUM_PATH is ${probe.chromiumPath}, which is not an executable: point it to a Chromium, or unset it`)
  }
  const found = installedChromium(probe)
  if (found) return found
  probe.log("No Chromium found: downloading Playwright's (pnpm exec playwright install chromium)…")
  if (probe.run(probe.playwrightInstall, INSTALL_TIMEOUT_MS.playwright) && probe.isExecutable(probe.playwrightChromium)) {
    return probe.playwrightChromium
  }
  if (probe.isRoot && probe.pathDirs.some((dir) => probe.isExecutable(`${dir}/apt-get`))) {
    probe.log("Installing Debian's chromium (apt-get install chromium)…")
    const installed =
      probe.run(['apt-get', 'update'], INSTALL_TIMEOUT_MS.apt) && probe.run(['apt-get', 'install', '-y', 'chromium'], INSTALL_TIMEOUT_MS.apt)
    const path = installed && installedChromium(probe)
    if (path) return path
  }
  throw new Error(NO_CHROMIUM)
}

function installedChromium(probe: ChromiumProbe): string | undefined {
  const candidates = CHROMIUM_NAMES.flatMap((name) => probe.pathDirs.map((dir) => `${dir}/${name}`))
  return [...candidates, probe.playwrightChromium].find((path) => probe.isExecutable(path))
}
