import { describe, expect, it } from 'vitest'
import { normalizeBirthDate } from './birth-date'

describe('normalizeBirthDate', () => {
  it.each([
    ['1990-07-04', '19900704'],
    ['1990-7-4', '19900704'],
    ['19900704', '19900704'],
    ['07/04/1990', '19900704'], // US order: month first
    ['7/4/1990', '19900704'],
    [' 2000-02-29 ', '20000229'], // leap year
  ])('%j → %s', (raw, expected) => {
    expect(normalizeBirthDate(raw)).toBe(expected)
  })

  it.each([
    '1990-02-30',
    '1900-02-29', // 1900 was not a leap year
    '2001-02-29',
    '1990-13-01',
    '1990-00-10',
    '13/04/1990', // no month 13: not read as day-first
    '1899-12-31',
    '2999-01-01', // future
    '04.07.1990',
    '1990/07/04',
    '199074',
    'July 4, 1990',
    '',
  ])('rejects %j', (raw) => {
    expect(normalizeBirthDate(raw)).toBeNull()
  })
})
