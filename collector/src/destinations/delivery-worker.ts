import type { Kysely, Transaction } from 'kysely'
import type { Config } from '../config'
import type { Database } from '../db/schema'
import type { Logger } from '../log'
import { findDueDestinations } from './claim-deliveries'
import { expireHeldDeliveries, resealSecrets } from './housekeeping'
import { type ProcessDeps, processDestination } from './process-destination'
import type { SecretBox } from './secret-box'
import { loadSourceHealth, type SourceHealth } from './source-health'

/** Signal health is re-read at most this often per tenant: it moves over hours, not seconds. */
const HEALTH_TTL_MS = 60_000
/** Held-event expiry and key rotation run this often. */
const HOUSEKEEPING_MS = 60_000

/** A running delivery worker. */
export interface DeliveryWorker {
  /** One pass: claims and processes every due destination once, and waits for it. */
  runOnce(): Promise<void>
  /** Stops polling and waits for the batches in flight (each bounded by the send timeout). */
  stop(): Promise<void>
}

/** What the worker runs on; `fetch` and `now` are replaceable for tests. */
export interface WorkerOptions {
  db: Kysely<Database>
  secretBox: SecretBox
  log: Logger
  delivery: Config['delivery']
  fetch?: typeof fetch
  now?: () => Date
  /** Poll on a timer; off for tests that drive `runOnce` themselves. */
  poll?: boolean
}

/**
 * The delivery worker that runs inside every collector process
 * (`collector/docs/trust-engine.md`). Each poll finds the destinations with
 * due deliveries and works each in its own lane — one batch in flight per
 * destination and process — so a slow destination delays only itself, and
 * ingest never waits for a destination: the worker holds no transaction
 * while it sends. Collectors share the outbox through `FOR UPDATE SKIP LOCKED`
 * claims. Every minute it also expires held events and re-seals secrets
 * under a rotated key.
 *
 * @example
 * const worker = startDeliveryWorker({ db, secretBox, log, delivery: config.delivery })
 * await worker.stop()
 */
export function startDeliveryWorker(options: WorkerOptions): DeliveryWorker {
  const now = options.now ?? (() => new Date())
  const cache = new Map<string, { at: number; health: Promise<ReadonlyMap<string | null, SourceHealth>> }>()
  const deps: ProcessDeps = {
    db: options.db,
    secretBox: options.secretBox,
    fetch: options.fetch ?? fetch,
    now,
    maxAttempts: options.delivery.maxAttempts,
    timeoutMs: options.delivery.timeoutMs,
    health(trx: Transaction<Database>, tenantId: string) {
      const hit = cache.get(tenantId)
      if (hit && now().getTime() - hit.at < HEALTH_TTL_MS) return hit.health
      const health = loadSourceHealth(trx, tenantId, now())
      cache.set(tenantId, { at: now().getTime(), health })
      health.catch(() => cache.delete(tenantId))
      return health
    },
  }
  const lanes = new Map<string, Promise<void>>()
  let lastHousekeeping = 0
  let stopped = false
  let timer: NodeJS.Timeout | undefined

  const lane = (target: { tenantId: string; destinationId: string }) =>
    processDestination(deps, target)
      .then(() => undefined)
      .catch((error: Error) => options.log.error('delivery_failed', { tenant: target.tenantId, destination: target.destinationId, error: error.message }))
      .finally(() => lanes.delete(target.destinationId))

  const housekeeping = async () => {
    if (now().getTime() - lastHousekeeping < HOUSEKEEPING_MS) return
    lastHousekeeping = now().getTime()
    const expired = await expireHeldDeliveries(options.db, now(), options.delivery.heldExpiryHours)
    const resealed = await resealSecrets(options.db, options.secretBox)
    if (expired > 0 || resealed > 0) options.log.info('delivery_housekeeping', { held_expired: expired, secrets_resealed: resealed })
  }

  const tick = async () => {
    // Housekeeping failing must not stop deliveries.
    await housekeeping().catch((error: Error) => options.log.error('delivery_housekeeping_failed', { error: error.message }))
    for (const target of await findDueDestinations(options.db, now())) {
      if (!lanes.has(target.destinationId)) lanes.set(target.destinationId, lane(target))
    }
  }

  const schedule = () => {
    if (stopped || options.poll === false) return
    timer = setTimeout(() => {
      tick()
        .catch((error: Error) => options.log.error('delivery_poll_failed', { error: error.message }))
        .finally(schedule)
    }, options.delivery.pollMs)
    timer.unref()
  }
  schedule()

  return {
    async runOnce() {
      await tick()
      await Promise.all(lanes.values())
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      await Promise.all(lanes.values())
    },
  }
}
