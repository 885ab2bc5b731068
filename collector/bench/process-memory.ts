import { readdirSync, readFileSync } from 'node:fs'

/** Resident memory of a process tree, in MiB: the peak over a span and the last sample. */
export interface MemoryFigures {
  peakMiB: number
  lastMiB: number
}

const SAMPLE_MS = 250

/**
 * Samples the resident set size (VmRSS in `/proc/<pid>/status`) of a process
 * and of every process under it — the collector, and its workers if it forks
 * any — every 250 ms. Linux only: elsewhere every figure is null.
 *
 * @example
 * const memory = watchMemory(collector.pid)
 * // … load …
 * const { peakMiB } = memory.take()
 * memory.stop()
 */
export function watchMemory(pid: number) {
  let peak = 0
  let last = 0
  const sample = () => {
    const kib = treeRssKiB(pid)
    if (kib === null) return
    last = kib
    peak = Math.max(peak, kib)
  }
  sample()
  const timer = setInterval(sample, SAMPLE_MS)
  return {
    /** The figures since the last `take()`; the next span starts from the current size. */
    take(): MemoryFigures | null {
      sample()
      if (last === 0) return null
      const figures = { peakMiB: toMiB(peak), lastMiB: toMiB(last) }
      peak = last
      return figures
    },
    stop: () => clearInterval(timer),
  }
}

const toMiB = (kib: number) => Math.round(kib / 1024)

function treeRssKiB(pid: number): number | null {
  const status = read(`/proc/${pid}/status`)
  if (status === null) return null
  const own = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0)
  return own + childrenOf(pid).reduce((sum, child) => sum + (treeRssKiB(child) ?? 0), 0)
}

function childrenOf(pid: number): number[] {
  const tasks = (() => {
    try {
      return readdirSync(`/proc/${pid}/task`)
    } catch {
      return []
    }
  })()
  return tasks.flatMap((task) => (read(`/proc/${pid}/task/${task}/children`) ?? '').split(/\s+/).filter(Boolean).map(Number))
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return null
  }
}
