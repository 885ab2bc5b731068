import type { IdentifierType } from '@stratum/pixel/identity'
import type { ResolvableEvent } from '../identity/resolvable-event'

/**
 * An event for pure resolution tests: identifiers given as `[type, value]`
 * pairs (all valid unless marked), server trust unless overridden.
 *
 * @example
 * resolvableEvent(0, [['email', 'e1'], ['anonymous_id', 'a1']], { browser: true })
 */
export function resolvableEvent(
  key: number,
  identifiers: Array<[IdentifierType, string, { role?: true; status?: 'junk' | 'invalid' }?]>,
  overrides: Partial<ResolvableEvent> = {},
): ResolvableEvent {
  return {
    key,
    eventId: `00000000-0000-4000-8000-${String(key).padStart(12, '0')}`,
    eventTime: new Date('2026-01-01T00:00:00Z'),
    identifiers: identifiers.map(([type, value, extra]) => ({
      type,
      value,
      status: extra?.status ?? 'valid',
      ...(extra?.role ? { role: true as const } : {}),
    })),
    browser: false,
    ...overrides,
  }
}
