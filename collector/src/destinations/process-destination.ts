import { randomUUID } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/schema'
import { withTenant } from '../db/with-tenant'
import { claimDeliveries } from './claim-deliveries'
import { recordCircuit } from './circuit-breaker'
import { classifyDeliveries } from './classify-deliveries'
import { loadDeliveryEvents } from './delivery-event'
import { findDestination, openConfig } from './destination-store'
import { loadMarketingConsent } from './marketing-consent'
import { toMetaServerEvent } from './meta-capi-payload'
import type { DestinationPolicy } from './policy'
import type { SecretBox } from './secret-box'
import { META_BATCH_LIMIT, type MetaCapiConfig, sendMetaCapi } from './send-meta-capi'
import { LEASE_ENDING, type SendOutcome, shortMessage } from './send-outcome'
import { sendWebhook } from './send-webhook'
import { type Settlement, settleDeliveries, settlementOf } from './settle-deliveries'
import type { SourceHealth } from './source-health'

/** Webhooks get one request per event: claim fewer at a time. */
const WEBHOOK_BATCH = 50
/**
 * How soon an event still waiting for resolution is looked at again: a tenth
 * of its age, from 1 s to a minute, so that a resolver's backlog is not
 * re-read every second.
 */
const unresolvedWaitMs = (receivedAt: Date, now: Date) => Math.min(60_000, Math.max(1000, (now.getTime() - receivedAt.getTime()) / 10))

/** What processing a destination needs. */
export interface ProcessDeps {
  db: Kysely<Database>
  secretBox: SecretBox
  fetch: typeof fetch
  now: () => Date
  maxAttempts: number
  timeoutMs: number
  /** Signal health per source of a tenant (cached by the worker). */
  health(trx: Transaction<Database>, tenantId: string): Promise<ReadonlyMap<string | null, SourceHealth>>
}

/**
 * One pass over one destination's due deliveries (`collector/docs/trust-engine.md`):
 * claim a batch and read what deciding needs in one short transaction, sort
 * it (resolution, consent, gate), send what may go with no transaction open,
 * then settle every outcome and the circuit breaker in a second one. Answers
 * how many deliveries were claimed.
 *
 * @example
 * const claimed = await processDestination(deps, { tenantId, destinationId })
 */
export async function processDestination(deps: ProcessDeps, target: { tenantId: string; destinationId: string }): Promise<number> {
  const { tenantId, destinationId } = target
  const token = randomUUID()
  const now = deps.now()
  const work = await withTenant(deps.db, tenantId, async (trx) => {
    const destination = await findDestination(trx, tenantId, destinationId)
    if (!destination?.enabled) return undefined
    const limit = destination.type === 'meta_capi' ? META_BATCH_LIMIT : WEBHOOK_BATCH
    const claimed = await claimDeliveries(trx, tenantId, destinationId, { token, limit, now, leaseMs: 3 * deps.timeoutMs })
    if (claimed.length === 0) return undefined
    const events = await loadDeliveryEvents(trx, tenantId, claimed.map((c) => c.event_id))
    const resolved = events.flatMap((e) => (e.profileId ? [e.profileId] : []))
    const [consent, health, requiring] = await Promise.all([
      loadMarketingConsent(trx, tenantId, resolved),
      deps.health(trx, tenantId),
      trx.selectFrom('sources').select('id').where('tenant_id', '=', tenantId).where('requires_marketing_consent', '=', true).execute(),
    ])
    const sorted = classifyDeliveries({
      claimed,
      events: new Map(events.map((e) => [e.eventId, e])),
      consent,
      health,
      policy: destination.policy as DestinationPolicy,
      consentRequired: new Set(requiring.map((s) => s.id)),
    })
    return { destination, claimed, sorted }
  })
  if (!work) return 0
  const { destination, claimed, sorted } = work
  const settlements: Settlement[] = [
    ...sorted.unresolved.map((e) => ({
      eventId: e.eventId,
      status: 'pending' as const,
      attempted: false,
      nextAttemptAt: new Date(now.getTime() + unresolvedWaitMs(e.receivedAt, now)),
    })),
    ...sorted.suppressed.map((s) => ({ eventId: s.eventId, status: 'suppressed' as const, reason: s.reason, attempted: false })),
    ...sorted.held.map((h) => ({ eventId: h.eventId, status: 'held' as const, level: h.level, reason: h.reason, attempted: false })),
  ]
  // A destination the worker cannot send to (a secret no configured key opens) fails its
  // deliveries like a failed request: retried, then dead letters with the reason.
  const { outcomes, answered } = await send(deps, destination, sorted.send.map((s) => s.event), now).catch((error: Error) => ({
    outcomes: new Map<string, SendOutcome>(sorted.send.map((s) => [s.event.eventId, { kind: 'retry', message: shortMessage(error.message) }])),
    answered: [],
  }))
  const attempts = new Map(claimed.map((c) => [c.event_id, c.attempts]))
  const sentAt = deps.now()
  for (const { event, level } of sorted.send) {
    const outcome = outcomes.get(event.eventId) ?? { kind: 'retry', message: 'not sent' }
    settlements.push(settlementOf(event.eventId, level, outcome, attempts.get(event.eventId)! + 1, deps.maxAttempts, sentAt))
  }
  await withTenant(deps.db, tenantId, async (trx) => {
    await settleDeliveries(trx, tenantId, destinationId, token, settlements, sorted.gone, sentAt)
    // Only what the destination (or the network) answered says anything about its health.
    if (answered.length > 0) {
      const failed = answered.every((o) => o.kind === 'retry')
      await recordCircuit(trx, tenantId, destinationId, failed ? 'failure' : 'success', sentAt)
    }
  })
  return claimed.length
}

/** Sends the events that passed, by the destination's type; a Meta event its mapping refuses is a dead letter unsent. */
async function send(
  deps: ProcessDeps,
  destination: NonNullable<Awaited<ReturnType<typeof findDestination>>>,
  events: Parameters<typeof sendWebhook>[2],
  claimedAt: Date,
): Promise<{ outcomes: Map<string, SendOutcome>; answered: SendOutcome[] }> {
  if (events.length === 0) return { outcomes: new Map(), answered: [] }
  const config = openConfig(destination, deps.secretBox)
  // The lease runs three timeouts from the claim: a request started by the second one still ends within it.
  const options = { timeoutMs: deps.timeoutMs, now: deps.now(), lastStart: new Date(claimedAt.getTime() + 2 * deps.timeoutMs) }
  if (destination.type === 'webhook') {
    const outcomes = await sendWebhook(deps.fetch, { url: config.url!, secret: config.secret! }, events, options)
    return { outcomes, answered: [...outcomes.values()].filter((o) => o !== LEASE_ENDING) }
  }
  const outcomes = new Map<string, SendOutcome>()
  const batch: Parameters<typeof sendMetaCapi>[2] = []
  for (const event of events) {
    const payload = toMetaServerEvent(event, options.now)
    if ('reason' in payload) outcomes.set(event.eventId, { kind: 'rejected', message: payload.reason })
    else batch.push([event, payload])
  }
  if (batch.length === 0) return { outcomes, answered: [] }
  const sent = await sendMetaCapi(deps.fetch, config as unknown as MetaCapiConfig, batch, options)
  for (const [id, outcome] of sent) outcomes.set(id, outcome)
  return { outcomes, answered: [...sent.values()].filter((o) => o !== LEASE_ENDING) }
}
