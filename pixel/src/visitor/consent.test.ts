import { describe, expect, it } from 'vitest'
import { createConsentState } from './consent'
import type { PersistedValue } from './persisted-value'

const memoryValue = (initial: string | null = null): PersistedValue & { value: string | null } => ({
  value: initial,
  get() {
    return this.value
  },
  set(value) {
    this.value = value
  },
  remove() {
    this.value = null
  },
})

describe('createConsentState', () => {
  it('sends from the start when consent is not required', () => {
    const consent = createConsentState(memoryValue(), false, false)
    expect(consent.route()).toBe('send')
    expect(consent.current()).toEqual({ analytics: true, marketing: true })
  })

  it('holds until a decision when consent is required', () => {
    const value = memoryValue()
    const consent = createConsentState(value, true, false)
    expect(consent.route()).toBe('hold')
    expect(consent.current()).toBeUndefined()
    expect(consent.decide({ analytics: true })).toEqual({ analytics: true, marketing: false })
    expect(value.value).toBe('a1m0')
    expect(consent.route()).toBe('send')
  })

  it('drops events once analytics is denied', () => {
    const consent = createConsentState(memoryValue(), false, false)
    consent.decide({ analytics: false })
    expect(consent.route()).toBe('drop')
    expect(consent.current()).toEqual({ analytics: false, marketing: true })
  })

  it('remembers a decision made on an earlier page', () => {
    expect(createConsentState(memoryValue('a1m1'), true, false).current()).toEqual({ analytics: true, marketing: true })
    expect(createConsentState(memoryValue('garbage'), true, false).route()).toBe('hold')
  })

  it('lets Global Privacy Control deny marketing whatever was granted', () => {
    const consent = createConsentState(memoryValue('a1m1'), false, true)
    expect(consent.current()).toEqual({ analytics: true, marketing: false })
    expect(consent.decide({ marketing: true })).toEqual({ analytics: true, marketing: false })
    expect(createConsentState(memoryValue(), false, true).current()).toEqual({ analytics: true, marketing: false })
  })
})
