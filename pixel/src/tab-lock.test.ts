import { describe, expect, it } from 'vitest'
import { createKeyValueStore } from './key-value-store'
import { createTabLock } from './tab-lock'
import { sharedStorage } from './testing/memory-storage'

/** The Web Locks API's `ifAvailable` semantics, for one origin. */
function fakeLocks(): LockManager {
  const held = new Set<string>()
  return {
    async request(name: string, _options: LockOptions, callback: (lock: Lock | null) => unknown) {
      if (held.has(name)) return callback(null)
      held.add(name)
      try {
        return await callback({ name, mode: 'exclusive' } as Lock)
      } finally {
        held.delete(name)
      }
    },
  } as LockManager
}

describe.each([
  ['Web Locks', () => fakeLocks()],
  ['storage lease', () => undefined],
])('createTabLock with %s', (_name, locks) => {
  it('lets one tab in at a time and releases after the task', async () => {
    const store = createKeyValueStore(sharedStorage())
    const manager = locks()
    const tabA = createTabLock('lock', manager, store, Date.now, 'A')
    const tabB = createTabLock('lock', manager, store, Date.now, 'B')
    let release: () => void = () => {}
    const running = tabA(() => new Promise<void>((resolve) => (release = resolve)))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(await tabB(async () => {})).toBe(false)
    release()
    expect(await running).toBe(true)
    expect(await tabB(async () => {})).toBe(true)
  })
})

describe('createTabLock lease', () => {
  it('takes over a lease left by a tab that died', async () => {
    const store = createKeyValueStore(sharedStorage())
    store.set('lock', `dead-tab ${Date.now() - 1}`)
    expect(await createTabLock('lock', undefined, store, Date.now, 'A')(async () => {})).toBe(true)
    expect(store.get('lock')).toBeNull()
  })
})
