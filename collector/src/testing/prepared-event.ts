import type { IdentifierType } from '@stratum/pixel/identity'
import { identityEvent, type PreparedEvent } from '../ingest/prepare-event'

/**
 * A prepared event for pure resolution tests: identifiers given as
 * `[type, value]` pairs (all valid unless marked).
 *
 * @example
 * preparedEvent(0, [['email', 'e1'], ['anonymous_id', 'a1']])
 */
export function preparedEvent(
  index: number,
  identifiers: Array<[IdentifierType, string, { role?: true; status?: 'junk' | 'invalid' }?]>,
  overrides: Partial<PreparedEvent> = {},
): PreparedEvent {
  const base = identityEvent(
    identifiers.map(([type, value, extra]) => ({
      type,
      value,
      hashed: type === 'email' || type === 'phone',
      status: extra?.status ?? 'valid',
      ...(extra?.role ? { role: true as const } : {}),
    })),
    new Date('2026-01-01T00:00:00Z'),
    'PageView',
    index,
  )
  return { ...base, eventId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, clientEventId: true, actionSource: 'website', ...overrides }
}
