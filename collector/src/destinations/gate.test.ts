import { describe, expect, test } from 'vitest'
import { gate } from './gate'

const purchase = { eventName: 'Purchase', emq: 55, hasMatchKey: true }
const pageView = { eventName: 'PageView', emq: 75, hasMatchKey: true }

describe('the band table', () => {
  test('Full delivers every event, whatever its own EMQ', () => {
    expect(gate('full', {}, { eventName: 'PageView', emq: 10, hasMatchKey: false })).toEqual({ level: 'full', send: true })
  })
  test('Partial delivers events of EMQ ≥ 60 and holds the others', () => {
    expect(gate('partial', {}, { ...pageView, emq: 60 })).toEqual({ level: 'partial', send: true })
    expect(gate('partial', {}, { ...pageView, emq: 59.9 })).toEqual({ level: 'partial', send: false, reason: 'emq_below_60' })
    expect(gate('partial', {}, { ...pageView, emq: null })).toMatchObject({ send: false, reason: 'emq_below_60' })
  })
  test('Limited delivers only conversions with a usable match key', () => {
    for (const eventName of ['Purchase', 'Lead', 'CompleteRegistration', 'Subscribe', 'StartTrial']) {
      expect(gate('limited', {}, { ...purchase, eventName })).toEqual({ level: 'limited', send: true })
    }
    expect(gate('limited', {}, pageView)).toEqual({ level: 'limited', send: false, reason: 'not_a_conversion' })
    expect(gate('limited', {}, { ...purchase, hasMatchKey: false })).toEqual({ level: 'limited', send: false, reason: 'no_match_key' })
  })
  test('Manual holds everything', () => {
    expect(gate('manual', {}, { ...purchase, emq: 100 })).toEqual({ level: 'manual', send: false, reason: 'manual' })
  })
})

describe('a destination policy', () => {
  test('a minimum event EMQ holds events below it at any level', () => {
    expect(gate('full', { min_event_emq: 70 }, { ...pageView, emq: 69.9 })).toEqual({ level: 'full', send: false, reason: 'below_min_event_emq' })
    expect(gate('full', { min_event_emq: 70 }, { ...pageView, emq: 70 })).toEqual({ level: 'full', send: true })
  })
  test('a minimum level makes a lower level manual and leaves a higher one alone', () => {
    expect(gate('partial', { min_level: 'full' }, { ...pageView, emq: 95 })).toEqual({ level: 'manual', send: false, reason: 'manual' })
    expect(gate('full', { min_level: 'partial' }, pageView)).toEqual({ level: 'full', send: true })
  })
  test('an override sets the level, even a looser one, and says so', () => {
    expect(gate('manual', { override: true, level: 'full' }, { ...pageView, emq: 5 })).toEqual({ level: 'override', send: true })
    expect(gate('full', { override: true, level: 'limited' }, pageView)).toEqual({ level: 'override', send: false, reason: 'not_a_conversion' })
  })
  test('a level without override is ignored: the policy can only be stricter', () => {
    expect(gate('manual', { level: 'full' }, purchase)).toEqual({ level: 'manual', send: false, reason: 'manual' })
  })
})
