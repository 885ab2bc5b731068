import { describe, expect, it } from 'vitest'
import { createKeyValueStore } from '../key-value-store'
import { fakeCookieJar } from '../testing/fake-cookie-jar'
import { sharedStorage } from '../testing/memory-storage'
import { createPersistedValue } from './persisted-value'
import { createSession, SESSION_TIMEOUT_MS } from './session'

function setup() {
  let clock = Date.parse('2026-01-13T15:00:00Z')
  let ids = 0
  const persistence = {
    store: createKeyValueStore(sharedStorage()),
    cookies: fakeCookieJar('shop.example', ['example']),
    secure: false,
    canPersist: () => true,
  }
  const value = createPersistedValue('stratum_sid', persistence, SESSION_TIMEOUT_MS / 1000)
  const session = createSession(value, () => clock, () => `s${++ids}`)
  return { session, value, advance: (ms: number) => (clock += ms) }
}

describe('createSession', () => {
  it('keeps one session while the visitor stays active', () => {
    const { session, advance } = setup()
    const first = session.touch()
    for (let i = 0; i < 5; i++) {
      advance(29 * 60_000)
      expect(session.touch()).toBe(first)
    }
  })

  it('rolls over after 30 minutes of inactivity', () => {
    const { session, advance } = setup()
    const first = session.touch()
    advance(SESSION_TIMEOUT_MS)
    const second = session.touch()
    expect(second).not.toBe(first)
    advance(60_000)
    expect(session.touch()).toBe(second)
  })

  it('is shared through storage, as tabs share it', () => {
    const { session, value } = setup()
    const id = session.touch()
    expect(value.get()).toMatch(new RegExp(`^${id}\\.\\d+$`))
  })

  it('starts a new session after end()', () => {
    const { session } = setup()
    const first = session.touch()
    session.end()
    expect(session.touch()).not.toBe(first)
  })
})
