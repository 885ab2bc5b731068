import { describe, expect, test } from 'vitest'
import { type ChromiumProbe, findChromium, INSTALL_TIMEOUT_MS, NO_CHROMIUM } from './find-chromium'

const PLAYWRIGHT = '/root/.cache/ms-playwright/chromium-1/chrome-linux64/chrome'
const INSTALL = ['node', 'playwright/cli.js', 'install', 'chromium']

/**
 * A machine of files, where each command may succeed and leave files behind
 * (or fail), recording what was run.
 */
function machine(options: {
  files?: string[]
  chromiumPath?: string
  isRoot?: boolean
  pathDirs?: string[]
  commands?: Record<string, { ok: boolean; creates?: string[] }>
}) {
  const files = new Set(options.files ?? [])
  const ran: { command: string; timeoutMs: number }[] = []
  const logged: string[] = []
  const probe: ChromiumProbe = {
    chromiumPath: options.chromiumPath,
    pathDirs: options.pathDirs ?? ['/usr/local/bin', '/usr/bin'],
    playwrightChromium: PLAYWRIGHT,
    playwrightInstall: INSTALL,
    isRoot: options.isRoot ?? false,
    isExecutable: (path) => files.has(path),
    run(command, timeoutMs) {
      const line = command.join(' ')
      ran.push({ command: line, timeoutMs })
      const outcome = options.commands?.[line] ?? { ok: false }
      for (const file of outcome.creates ?? []) files.add(file)
      return outcome.ok
    },
    log: (line) => logged.push(line),
  }
  return { probe, ran, logged, commands: () => ran.map((r) => r.command) }
}

describe('a Chromium already there', () => {
  test('CHROMIUM_PATH wins over every other browser', () => {
    const m = machine({ chromiumPath: '/opt/chrome/chrome', files: ['/opt/chrome/chrome', '/usr/bin/chromium'] })
    expect(findChromium(m.probe)).toBe('/opt/chrome/chrome')
    expect(m.ran).toEqual([])
  })

  test('a CHROMIUM_PATH that is not there fails at once, on one line naming it, without looking elsewhere or installing', () => {
    const m = machine({ chromiumPath: '/nope/chromium', files: ['/usr/bin/chromium'], isRoot: true })
    expect(() => findChromium(m.probe)).toThrow('CHROMIUM_PATH is /nope/chromium, which is not an executable')
    expect(() => findChromium(m.probe)).toThrow(/^[^\n]+$/)
    expect(m.ran).toEqual([])
  })

  test("Debian's /usr/bin/chromium, when PATH leads nowhere", () => {
    const m = machine({ pathDirs: ['/home/me/bin', '/usr/bin'], files: ['/usr/bin/chromium', PLAYWRIGHT] })
    expect(findChromium(m.probe)).toBe('/usr/bin/chromium')
    expect(m.ran).toEqual([])
  })

  test('chromium before chromium-browser before google-chrome, wherever on PATH', () => {
    const m = machine({ files: ['/usr/local/bin/google-chrome', '/usr/bin/chromium-browser'] })
    expect(findChromium(m.probe)).toBe('/usr/bin/chromium-browser')
    const chrome = machine({ files: ['/usr/bin/google-chrome-stable'] })
    expect(findChromium(chrome.probe)).toBe('/usr/bin/google-chrome-stable')
  })

  test("Playwright's own Chromium, already downloaded", () => {
    const m = machine({ files: [PLAYWRIGHT] })
    expect(findChromium(m.probe)).toBe(PLAYWRIGHT)
    expect(m.ran).toEqual([])
  })
})

describe('no Chromium yet', () => {
  test("downloads Playwright's, within a bound", () => {
    const m = machine({ isRoot: true, files: ['/usr/bin/apt-get'], commands: { [INSTALL.join(' ')]: { ok: true, creates: [PLAYWRIGHT] } } })
    expect(findChromium(m.probe)).toBe(PLAYWRIGHT)
    expect(m.ran).toEqual([{ command: INSTALL.join(' '), timeoutMs: INSTALL_TIMEOUT_MS.playwright }])
    expect(m.logged).toHaveLength(1)
  })

  test("as root, installs Debian's chromium when Playwright's cannot be downloaded", () => {
    const m = machine({
      isRoot: true,
      files: ['/usr/bin/apt-get'],
      commands: { 'apt-get update': { ok: true }, 'apt-get install -y chromium': { ok: true, creates: ['/usr/bin/chromium'] } },
    })
    expect(findChromium(m.probe)).toBe('/usr/bin/chromium')
    expect(m.commands()).toEqual([INSTALL.join(' '), 'apt-get update', 'apt-get install -y chromium'])
    expect(m.ran.every((r) => r.timeoutMs > 0 && Number.isFinite(r.timeoutMs))).toBe(true)
  })

  test('without root, fails with one line naming the command to run, after trying the download only', () => {
    const m = machine({ isRoot: false, files: ['/usr/bin/apt-get'] })
    expect(() => findChromium(m.probe)).toThrow(NO_CHROMIUM)
    expect(NO_CHROMIUM).toMatch(/^[^\n]+$/)
    expect(NO_CHROMIUM).toContain('pnpm exec playwright install chromium')
    expect(m.commands()).toEqual([INSTALL.join(' ')])
  })

  test('as root without apt-get, or when apt-get update fails, fails the same way', () => {
    const noApt = machine({ isRoot: true })
    expect(() => findChromium(noApt.probe)).toThrow(NO_CHROMIUM)
    expect(noApt.commands()).toEqual([INSTALL.join(' ')])

    const offline = machine({ isRoot: true, files: ['/usr/bin/apt-get'], commands: { 'apt-get update': { ok: false } } })
    expect(() => findChromium(offline.probe)).toThrow(NO_CHROMIUM)
    expect(offline.commands()).toEqual([INSTALL.join(' '), 'apt-get update'])
  })

  test('an install that says it succeeded but leaves no browser is not trusted', () => {
    const m = machine({
      isRoot: true,
      files: ['/usr/bin/apt-get'],
      commands: { [INSTALL.join(' ')]: { ok: true }, 'apt-get update': { ok: true }, 'apt-get install -y chromium': { ok: true } },
    })
    expect(() => findChromium(m.probe)).toThrow(NO_CHROMIUM)
  })
})
