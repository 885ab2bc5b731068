import { isValidCurrency } from '../emq/score-data-completeness'

/**
 * What a Purchase adds to revenue: its `value` in its upper-cased ISO-4217
 * `currency`, or `null` for any other event or a Purchase without a finite
 * value and a valid currency.
 *
 * @example
 * purchaseAmount('Purchase', { value: 129.5, currency: 'eur' }) // { currency: 'EUR', value: 129.5 }
 */
export function purchaseAmount(eventName: string, properties: Record<string, unknown>): { currency: string; value: number } | null {
  if (eventName !== 'Purchase') return null
  const { value, currency } = properties
  if (typeof value !== 'number' || !Number.isFinite(value) || !isValidCurrency(currency)) return null
  return { currency: (currency as string).toUpperCase(), value }
}

/**
 * Adds an amount (negative to take it back) to a per-currency sum, rounded
 * so float noise (0.1 + 0.2) never reaches the stored numeric sum.
 *
 * @example
 * addAmount(revenue, 'EUR', 129.5)
 */
export function addAmount(revenue: Record<string, number>, currency: string, value: number): void {
  revenue[currency] = Math.round(((revenue[currency] ?? 0) + value) * 1e6) / 1e6
}
