/** Reads [year, month, day] from `YYYY-MM-DD`, `YYYYMMDD` or US `MM/DD/YYYY` (1-digit month/day allowed with separators). */
function dateParts(value: string): [number, number, number] | undefined {
  const ymd = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(value)
  if (ymd) return [Number(ymd[1]), Number(ymd[2]), Number(ymd[3])]
  const mdy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value)
  if (mdy) return [Number(mdy[3]), Number(mdy[1]), Number(mdy[2])]
  return undefined
}

/**
 * Normalises a date of birth to `YYYYMMDD` (Meta's `db`). `null` unless it is a real calendar date
 * from 1900 up to now: `02/30/1990` or a future date is a typo, and hashing it would only add noise.
 *
 * @example
 * normalizeBirthDate('07/04/1990') // '19900704'
 * normalizeBirthDate('1990-02-30') // null
 */
export function normalizeBirthDate(raw: string): string | null {
  const parts = dateParts(raw.trim())
  if (!parts) return null
  const [year, month, day] = parts
  const date = new Date(Date.UTC(year, month - 1, day))
  const real = year >= 1900 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  if (!real || date.getTime() > Date.now()) return null
  return String(year) + String(month).padStart(2, '0') + String(day).padStart(2, '0')
}
