import { type IdentifierType, normalizeIdentifier } from '@stratum/pixel/identity'
import type { Transaction } from 'kysely'
import type { AuthContext } from '../auth/scopes'
import type { Database } from '../db/schema'
import { StratumError } from '../errors'
import { lockIdentifiers } from '../identity/lock-identifiers'
import { resolveIdentities } from '../identity/resolve-identities'
import type { ResolvableEvent, ResolvableIdentifier } from '../identity/resolvable-event'
import { findDeniedProfiles } from './consent-state'
import { findSuppressedEvents } from './suppression'

/** What a browser may name: its own identifiers, never a person's (`collector/docs/trust-boundary.md`). */
const BROWSER_IDENTIFIERS: ReadonlySet<IdentifierType> = new Set(['anonymous_id', 'device_id'])

/** A consent decision as `POST /consent` takes it (validated). */
export interface ConsentInput {
  identifiers: Array<{ type: IdentifierType; value: string; role?: boolean }>
  purposes: Record<string, boolean>
  policy_version?: string
}

/** What `POST /consent` answers. */
export interface ConsentResult {
  /** `suppressed`: an identifier was erased; nothing was recorded or created. */
  status: 'recorded' | 'suppressed'
  profile_id: string | null
  recorded_at: string
  purposes: Record<string, boolean>
  warnings?: string[]
}

/**
 * Records a consent decision (collector/docs/privacy.md): resolves the person from the
 * identifiers with the same rules, locks and merges as an event (a public
 * source key's call counts as a browser event), then appends one row per
 * purpose with the caller's trust and keeps the profile's `marketing_denied`
 * flag in step: set while the latest marketing record of either trust level
 * is a denial. A public source key may name only the browser's own
 * identifiers (anonymous and device ids): naming an email, phone or external
 * id is a 403, so a stranger holding the page's key cannot decide for a
 * customer. Identifiers that cannot match (junk, invalid) are ignored with a
 * warning; none usable is a 400. A suppressed (erased) identifier records
 * nothing, so consent can never resurrect a person.
 *
 * @example
 * await recordConsent(trx, auth, { identifiers: [{ type: 'email', value: 'a@shop.io' }], purposes: { analytics: true } }, { receivedAt: new Date() })
 */
export async function recordConsent(
  trx: Transaction<Database>,
  auth: AuthContext,
  input: ConsentInput,
  options: { receivedAt: Date; defaultCountry?: string },
): Promise<ConsentResult> {
  const { receivedAt } = options
  const named = [...new Set(input.identifiers.map((i) => i.type).filter((type) => !BROWSER_IDENTIFIERS.has(type)))]
  if (auth.trust === 'browser' && named.length > 0) {
    throw new StratumError(
      403,
      'identifier_not_allowed',
      `A public source key may record consent only for the browser's own anonymous_id and device_id, not ${named.join(', ')}: send those with a JWT or a secret key`,
    )
  }
  const warnings: string[] = []
  const identifiers: ResolvableIdentifier[] = []
  for (const raw of input.identifiers) {
    const normalized = normalizeIdentifier(raw.type, raw.value, { defaultCountry: options.defaultCountry })
    if (normalized.status !== 'valid') warnings.push(`identifier_${normalized.status}:${raw.type}`)
    else identifiers.push(raw.role === true ? { ...normalized, role: true } : normalized)
  }
  if (identifiers.length === 0) {
    throw new StratumError(400, 'no_usable_identifier', 'Consent needs at least one valid identifier to attach it to')
  }
  const base = { recorded_at: receivedAt.toISOString(), purposes: input.purposes, ...(warnings.length > 0 ? { warnings } : {}) }
  // The decision resolves the person with exactly the rules events use; no event is behind it.
  const subject: ResolvableEvent = { key: 0, eventId: null, eventTime: receivedAt, identifiers, browser: auth.trust === 'browser' }
  // Locked before the check so that an erasure cannot commit in between.
  await lockIdentifiers(trx, auth.tenantId, identifiers)
  if ((await findSuppressedEvents(trx, auth.tenantId, [subject])).size > 0) {
    return { status: 'suppressed', profile_id: null, ...base }
  }
  const { profileOf } = await resolveIdentities(trx, auth.tenantId, [subject], receivedAt)
  const profileId = profileOf.get(subject.key)!
  await trx
    .insertInto('consents')
    .values(
      Object.entries(input.purposes).map(([purpose, granted]) => ({
        tenant_id: auth.tenantId,
        profile_id: profileId,
        purpose,
        granted,
        source_id: auth.source?.id ?? null,
        policy_version: input.policy_version ?? null,
        recorded_at: receivedAt,
        trust: auth.trust,
      })),
    )
    .execute()
  if (input.purposes.marketing !== undefined) {
    // Browser-level reading: a denial at either trust level holds (conservative for activation).
    const denied = await findDeniedProfiles(trx, auth.tenantId, [profileId], 'marketing', 'browser')
    await trx
      .updateTable('profiles')
      .set({ marketing_denied: denied.has(profileId), updated_at: receivedAt })
      .where('tenant_id', '=', auth.tenantId)
      .where('id', '=', profileId)
      .execute()
  }
  return { status: 'recorded', profile_id: profileId, ...base }
}

