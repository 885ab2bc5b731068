import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { type Authenticator, authenticate } from '../../auth/authenticate'
import { StratumError } from '../../errors'
import type { AppEnv } from '../../http/app-env'
import { clientIp, type ProxyMatcher } from '../../http/client-ip'
import { browserCors } from '../../http/cors'
import { limitClientIp, limitCredential } from '../../http/rate-limit'
import { type Fields, isFields } from '../../segment/fields'
import { ingestMessages, type MessagesOutcome } from '../../segment/ingest-messages'
import type { MapOptions, SegmentType } from '../../segment/map-message'
import { readSegmentBody } from '../../segment/read-segment-body'
import { errorResponses } from '../schemas/error-schema'
import { SegmentBatchDocSchema, SegmentMessageDocSchema, SegmentSuccessSchema } from '../schemas/segment-schema'
import { ingestSettings } from '../../ingest/ingest-settings'

/** Segment's limits: 32 KB per call, 500 KB per batch. */
const CALL_BYTES = 32 * 1024
const BATCH_BYTES = 500 * 1024

/** The calls by path: Segment's names, and the one-letter ones analytics.js posts to. */
const CALLS: Readonly<Record<string, SegmentType>> = {
  track: 'track', t: 'track', identify: 'identify', i: 'identify', page: 'page', p: 'page',
  screen: 'screen', s: 'screen', group: 'group', g: 'group', alias: 'alias', a: 'alias',
}

/** The routes' paths: a batch, and one call. */
const BATCH_PATH = '/v1/:call{batch|b}'
const CALL_PATH = '/v1/:call{track|identify|page|screen|group|alias|t|i|p|s|g|a}'

/** The app's environment plus the request's parsed Segment body. */
interface SegmentEnv extends AppEnv {
  Variables: AppEnv['Variables'] & { segmentBody: unknown }
}

/**
 * Segment's HTTP Tracking API (`collector/docs/segment.md`): `POST /v1/batch`
 * and `/v1/track`, `identify`, `page`, `screen`, `group`, `alias` (and the
 * one-letter paths and `/v1/b` analytics.js posts to). The write key is a
 * Stratum source key, sent as HTTP Basic user name (Segment's server SDKs,
 * analytics.js) or as the body's `writeKey`, with its trust and origin
 * rules. Each message becomes a Stratum event and goes through
 * `ingestBatch`. `200 {"success": true}` only after the durable commit; a
 * call that cannot be stored is a 400 with the reason.
 *
 * @example
 * app.route('/', segmentRoutes(authenticator, trustedProxies))
 */
export function segmentRoutes(authenticator: Authenticator, trustedProxies: ProxyMatcher) {
  const app = new OpenAPIHono<SegmentEnv>()
  app.use(BATCH_PATH, browserCors())
  app.use(CALL_PATH, browserCors())
  const chain = (maxBytes: number) =>
    [
      limitClientIp(),
      createMiddleware<SegmentEnv>(async (c, next) => {
        c.set('segmentBody', await readSegmentBody(c.req.raw, maxBytes))
        await next()
      }),
      authenticate<SegmentEnv>(authenticator, { scope: 'events:write', allowSourceKey: true, keyFrom: (c) => writeKeyOf(c.get('segmentBody')) }),
      limitCredential(),
    ] as const
  const ingest = (c: Context<SegmentEnv>, messages: readonly unknown[], options: Pick<MapOptions, 'type' | 'batchSentAt'> & { path: (i: number) => string }) => {
    const { db, config, remoteAddress } = c.get('services')
    const auth = c.get('auth')
    const receivedAt = new Date()
    const facts = { receivedAt, clientIp: clientIp(remoteAddress(c), c.req.header('x-forwarded-for'), trustedProxies), userAgent: c.req.header('user-agent') }
    const mapping = { ...options, receivedAt, fallbackSource: auth.trust === 'browser' ? ('website' as const) : ('server' as const) }
    return ingestMessages(db, auth, messages, mapping, facts, ingestSettings(config, c.get('services'), false))
  }

  app.post(BATCH_PATH, ...chain(BATCH_BYTES), async (c) => {
    const body = c.get('segmentBody')
    if (!isFields(body) || !Array.isArray(body.batch) || body.batch.length === 0) {
      throw new StratumError(400, 'invalid_batch', 'The body must be {"batch": [message, …]} with at least one message')
    }
    const messages = body.batch.map((message) => withBatchDefaults(message, body))
    const outcome = await ingest(c, messages, { batchSentAt: body.sentAt, path: (i) => `batch[${i}]` })
    if (outcome.stored === 0) throw new StratumError(400, 'invalid_batch', 'No message of the batch could be stored', outcome.refused)
    return c.json(success(outcome), 200)
  })

  app.post(CALL_PATH, ...chain(CALL_BYTES), async (c) => {
    const outcome = await ingest(c, [c.get('segmentBody')], { type: CALLS[c.req.param('call')], path: () => 'message' })
    const refused = outcome.refused[0]
    if (refused) throw new StratumError(400, refused.code, refused.message)
    return c.json(success(outcome), 200)
  })

  document(app)
  return app
}

/** The body's `writeKey`: analytics.js sends it there, as well as in the `Authorization` header. */
function writeKeyOf(body: unknown): string | undefined {
  return isFields(body) && typeof body.writeKey === 'string' && body.writeKey !== '' ? body.writeKey : undefined
}

/** A batch's top-level `context` and `integrations` apply to each of its messages, under the message's own. */
function withBatchDefaults(message: unknown, batch: Fields): unknown {
  if (!isFields(message)) return message
  const merged = { ...message }
  for (const field of ['context', 'integrations'] as const) {
    if (isFields(batch[field]) && (message[field] === undefined || isFields(message[field]))) {
      merged[field] = { ...batch[field], ...(message[field] as Fields | undefined) }
    }
  }
  return merged
}

function success(outcome: MessagesOutcome) {
  return { success: true as const, ...(outcome.refused.length > 0 ? { rejected: outcome.refused } : {}) }
}

function document(app: OpenAPIHono<SegmentEnv>) {
  const common = {
    method: 'post' as const,
    tags: ['Segment'],
    security: [{ writeKey: [] }],
    responses: {
      200: { description: 'Stored (durably committed)', content: { 'application/json': { schema: SegmentSuccessSchema } } },
      ...errorResponses(400, 401, 403, 415, 429, 503),
    },
  }
  const single = { required: true, content: { 'application/json': { schema: SegmentMessageDocSchema } } }
  app.openAPIRegistry.registerPath({
    ...common,
    path: '/v1/batch',
    operationId: 'segmentBatch',
    summary: 'Segment: a batch of calls',
    description:
      "Segment's batch endpoint: up to 500 KB (gzip, deflate or br accepted), 32 KB per message. Each message is mapped and stored on its own: those that cannot be are listed in `rejected`, the others stored; a batch of which nothing could be stored is a 400. A replayed `messageId` is stored once. The write key is a source key, as HTTP Basic user name or the body's `writeKey`.",
    request: { body: { required: true, content: { 'application/json': { schema: SegmentBatchDocSchema } } } },
  })
  for (const call of ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const) {
    app.openAPIRegistry.registerPath({
      ...common,
      path: `/v1/${call}`,
      operationId: `segment${call[0]!.toUpperCase()}${call.slice(1)}`,
      summary: `Segment: ${call}`,
      description: `Segment's \`${call}\` call, at most 32 KB (also at \`/v1/${call[0]}\`, where analytics.js posts it). A call that cannot be mapped or stored is a 400 with the reason; see collector/docs/segment.md for the mapping.`,
      request: { body: single },
    })
  }
}
