import type { BandName } from './components/band'

/** Band counts of a window or a bucket. */
export type Bands = Record<BandName, number>

/** One missing field and what adding it would gain (`GET /emq`). */
export interface MissingField {
  field: string
  event_name: string
  events: number
  missing: number
  missing_share: number
  gain: number
  message: string
}

/** A window of `GET /emq`. */
export interface EmqWindow {
  events: number
  mean_emq: number | null
  bands: Bands
  band: BandName | null
  automation: string
  missing_fields: { based_on_events: number; top: MissingField[] }
}

/** `GET /emq`. */
export interface EmqReport {
  tenant: { windows: { '24h': EmqWindow; '7d': EmqWindow } }
  sources: { source_id: string | null; name: string | null; source_type: string | null; windows: { '24h': EmqWindow; '7d': EmqWindow } }[]
}

/** `GET /emq/series`. */
export interface EmqSeries {
  bucket: 'hour' | 'day'
  from: string
  to: string
  points: { start: string; events: number; mean_emq: number | null; bands: Bands }[]
}

/** A destination as `GET /trust` counts it under one source. */
export interface TrustDestination {
  destination_id: string
  name: string
  enabled: boolean
  level: string
  override: boolean
  pending: number
  held: number
  delivered: number
  dead: number
  suppressed: number
  discarded: number
  expired: number
  held_reasons: Record<string, number>
}

/** `GET /trust`. */
export interface TrustReport {
  sources: {
    source_id: string | null
    name: string
    events: number
    mean_emq: number | null
    band: BandName | null
    level: string
    reasons: string[]
    destinations: TrustDestination[]
  }[]
}
