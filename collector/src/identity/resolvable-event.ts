import type { IdentifierType } from '@stratum/pixel/identity'

/** An identifier as resolution sees it: type, stored form (a hash for email and phone) and quality. */
export interface ResolvableIdentifier {
  type: IdentifierType
  value: string
  status: 'valid' | 'junk' | 'invalid'
  /** May attach the event to a profile but never bridges two (role mailbox). */
  role?: true
}

/**
 * What identity resolution needs of an event, and nothing more: the shape
 * identity owns, so that neither ingest's wire format nor its storage rows
 * leak into it. A stored event, a consent decision and a test all resolve
 * through this one shape (collector/docs/identity-resolution.md).
 *
 * @example
 * const subject: ResolvableEvent = { key: 0, eventId: null, eventTime: new Date(), identifiers, browser: false }
 */
export interface ResolvableEvent {
  /** The caller's handle for the event; the plan answers by it (`profileOf`, `warnings`). */
  key: number
  /** Recorded with a merge the event caused; `null` when no event is behind it (consent). */
  eventId: string | null
  eventTime: Date
  identifiers: readonly ResolvableIdentifier[]
  /** Sent with browser trust (a public source key): G2 then stops merging two known people. */
  browser: boolean
}
