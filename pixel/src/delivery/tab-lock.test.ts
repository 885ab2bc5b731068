import { describe, expect, it } from 'vitest'
import { fakeLocks } from '../testing/fake-locks'
import { createTabLock } from './tab-lock'

describe('createTabLock', () => {
  it('lets one tab in at a time and releases after the task', async () => {
    const locks = fakeLocks()
    const tabA = createTabLock('lock', locks)
    const tabB = createTabLock('lock', locks)
    let release: () => void = () => {}
    const running = tabA(() => new Promise<void>((resolve) => (release = resolve)))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(await tabB(async () => {})).toBe(false)
    release()
    expect(await running).toBe(true)
    expect(await tabB(async () => {})).toBe(true)
  })

  it('runs the task at once where Web Locks are missing', async () => {
    let ran = false
    const task = async () => {
      ran = true
    }
    expect(await createTabLock('lock', undefined)(task)).toBe(true)
    expect(ran).toBe(true)
  })
})
