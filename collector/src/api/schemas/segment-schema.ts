import { z } from '@hono/zod-openapi'

/**
 * A Segment message, for the OpenAPI document only: the routes read
 * messages one by one, so that a bad one costs only itself
 * (`collector/src/segment/map-message.ts`; the mapping:
 * `collector/docs/segment.md`).
 */
export const SegmentMessageDocSchema = z
  .looseObject({
    type: z.enum(['track', 'identify', 'page', 'screen', 'group', 'alias']).optional().openapi({ description: 'Implied by the route, except in a batch' }),
    messageId: z.string().optional().openapi({ description: 'Idempotency key: a replay is stored once' }),
    userId: z.string().optional(),
    anonymousId: z.string().optional(),
    event: z.string().optional().openapi({ description: 'track: the event name', example: 'Order Completed' }),
    name: z.string().optional().openapi({ description: 'page, screen: the page or screen name' }),
    properties: z.record(z.string(), z.unknown()).optional(),
    traits: z.record(z.string(), z.unknown()).optional().openapi({ description: 'identify: the person; group: the group' }),
    groupId: z.string().optional(),
    previousId: z.string().optional(),
    context: z.record(z.string(), z.unknown()).optional(),
    integrations: z.record(z.string(), z.unknown()).optional(),
    timestamp: z.string().optional(),
    originalTimestamp: z.string().optional(),
    sentAt: z.string().optional(),
    writeKey: z.string().optional().openapi({ description: 'The source key, when no Authorization header carries it' }),
  })
  .openapi('SegmentMessage')

export const SegmentBatchDocSchema = z
  .looseObject({
    batch: z.array(SegmentMessageDocSchema).min(1),
    sentAt: z.string().optional(),
    context: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Merged into every message' }),
    integrations: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Merged into every message' }),
    writeKey: z.string().optional(),
  })
  .openapi('SegmentBatch')

export const SegmentSuccessSchema = z
  .object({
    success: z.literal(true),
    rejected: z
      .array(z.object({ index: z.number().int(), code: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'Messages of a batch that were not stored, and why; the others were' }),
  })
  .openapi('SegmentSuccess')

export const SegmentSettingsSchema = z
  .looseObject({
    integrations: z.looseObject({
      'Segment.io': z.looseObject({ apiKey: z.string(), apiHost: z.string(), protocol: z.enum(['http', 'https']) }),
    }),
  })
  .openapi('SegmentSettings')
