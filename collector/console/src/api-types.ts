import type { z } from '@hono/zod-openapi'
import type { DeliverySchema } from '../../src/api/schemas/delivery-schema'
import type { DestinationSchema } from '../../src/api/schemas/destination-schema'
import type { EmqReportSchema, EmqSeriesSchema } from '../../src/api/schemas/emq-schema'
import type { MeSchema } from '../../src/api/schemas/me-schema'
import type { ConsentViewSchema, ErasureResultSchema } from '../../src/api/schemas/privacy-schema'
import type { JourneySchema, MergeHistorySchema, ProfileSchema } from '../../src/api/schemas/profile-schema'
import type { SourceSchema } from '../../src/api/schemas/source-schema'
import type { StoredEventSchema } from '../../src/api/schemas/stored-event-schema'
import type { TrustReportSchema } from '../../src/api/schemas/trust-schema'

// The API's answers as the console reads them, inferred from the collector's
// own OpenAPI schemas: a change to the API fails the console's type check
// instead of a page. Type-only imports, so nothing of zod reaches the bundle.

/** `GET /me`. */
export type Me = z.output<typeof MeSchema>
/** `GET /emq`. */
export type EmqReport = z.output<typeof EmqReportSchema>
/** One window of `GET /emq`, for the tenant or a source. */
export type EmqWindow = EmqReport['tenant']['windows']['24h']
/** One missing field of a window and what adding it would gain. */
export type MissingField = EmqWindow['missing_fields']['top'][number]
/** `GET /emq/series`. */
export type EmqSeries = z.output<typeof EmqSeriesSchema>
/** `GET /trust`. */
export type TrustReport = z.output<typeof TrustReportSchema>
/** A destination as `GET /trust` counts it under one source. */
export type TrustDestination = TrustReport['sources'][number]['destinations'][number]
/** A source of `GET /sources`. */
export type Source = z.output<typeof SourceSchema>
/** A destination of `GET /destinations`. */
export type Destination = z.output<typeof DestinationSchema>
/** A delivery of `GET /destinations/{id}/held` or `…/deliveries`. */
export type Delivery = z.output<typeof DeliverySchema>
/** `GET /events/{event_id}`. */
export type StoredEvent = z.output<typeof StoredEventSchema>
/** `GET /profiles/{id}`. */
export type Profile = z.output<typeof ProfileSchema>
/** An identifier as a profile lists it: `hash` is what a lookup or an erasure takes back. */
export type ProfileIdentifier = Profile['identifiers'][number]
/** One page of `GET /profiles/{id}/events`. */
export type Journey = z.output<typeof JourneySchema>
/** `GET /profiles/{id}/merges`. */
export type MergeHistory = z.output<typeof MergeHistorySchema>
/** `GET /profiles/{id}/consent`. */
export type ConsentView = z.output<typeof ConsentViewSchema>
/** `POST /erasure`'s answer. */
export type ErasureResult = z.output<typeof ErasureResultSchema>
