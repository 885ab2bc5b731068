import { test as base, expect, type Page, type Request } from '@playwright/test'
import { type CollectorApi, collectorApi, type StoredEvent } from './collector-api'
import { e2eEnv } from './e2e-env'
import type { ReceivedRequest } from './recording-proxy'
import { configOfPageUrl, type PageConfig, sitePath } from './site-server'

/** An event as the pixel sent it. */
export interface SentEvent {
  event_id: string
  event_name: string
  identifiers: { type: string; value: string; role?: true }[]
  context: { page: { url: string; referrer: string; title: string }; [key: string]: unknown }
  consent?: { analytics: boolean; marketing: boolean }
  [key: string]: unknown
}

/** An events request: seen by Playwright in the page, or received by the proxy in front of the collector. */
export interface SentBatch {
  url: string
  contentType: string
  bytes: number
  eventIds: string[]
  events: SentEvent[]
  at: number
  status?: number
  accepted?: number
  duplicates?: number
  /** Playwright's resource type (`fetch`, `ping` for beacons); absent for what the proxy received. */
  resourceType?: string
}

/** The test shop, the collector behind it, and what went over the wire. */
export interface Shop {
  api: CollectorApi
  sourceKey: string
  collectorUrl: string
  /** The pages' default endpoint: the recording proxy in front of the collector. */
  endpoint: string
  origin(host?: string): string
  url(config: PageConfig, path?: string, host?: string): string
  open(config: PageConfig, path?: string, page?: Page, host?: string): Promise<void>
  /** Events requests Playwright saw leave the pages of this test (not those fired while a page unloads). */
  observed: SentBatch[]
  /** Events requests of this test that reached the collector, including keepalive and beacon ones. */
  received(): Promise<SentBatch[]>
  /** Bodies of every request the browser made, plus every body the collector received since the test began. */
  bodies(): Promise<string[]>
  /** Every event the browser sent, first sending of each, in order. */
  sentEvents(): Promise<SentEvent[]>
  /** `POST /consent` requests for this visitor that reached the collector, with the collector's status. */
  consentRecords(anonymousId: string): Promise<{ status: number; body: { purposes?: unknown } }[]>
  pageErrors: Error[]
  anonymousId(page?: Page): Promise<string>
  /**
   * Waits until the browser sent `expectedCount` distinct events (when given)
   * and the collector holds every one of them, and checks it holds each once.
   * Returns the stored events, oldest first.
   */
  expectStoredExactlyOnce(anonymousId: string, expectedCount?: number, api?: CollectorApi): Promise<StoredEvent[]>
}

const isEventsUrl = (url: string) => /\/(api\/v1\/cdp|collect)\/events/.test(url)

function batchOf(url: string, body: string, at: number): SentBatch {
  const events = (JSON.parse(body) as { events: SentEvent[] }).events
  return { url, contentType: '', bytes: Buffer.byteLength(body), eventIds: events.map((e) => e.event_id), events, at }
}

export const test = base.extend<{ shop: Shop }>({
  shop: async ({ page, context }, use, testInfo) => {
    const env = e2eEnv()
    const api = collectorApi(env.collectorUrl, env.token)
    const testId = `${testInfo.testId}-${testInfo.retry}`
    const log = async (): Promise<ReceivedRequest[]> => (await fetch(`${env.proxyUrl}/__e2e/log?after=${logStart}`)).json()
    const logStart = ((await (await fetch(`${env.proxyUrl}/__e2e/log`)).json()) as ReceivedRequest[]).length - 1
    const observed: SentBatch[] = []
    const bodies: string[] = []
    const pageErrors: Error[] = []
    const byRequest = new Map<Request, SentBatch>()
    page.on('pageerror', (error) => pageErrors.push(error))
    context.on('request', (request) => {
      const body = request.postData()
      if (body) bodies.push(body)
      if (!isEventsUrl(request.url()) || !body) return
      const batch = batchOf(request.url(), body, Date.now())
      batch.resourceType = request.resourceType()
      batch.contentType = request.headers()['content-type'] ?? ''
      observed.push(batch)
      byRequest.set(request, batch)
    })
    context.on('response', async (response) => {
      const batch = byRequest.get(response.request())
      if (!batch) return
      batch.status = response.status()
      const json = await response.json().catch(() => undefined)
      batch.accepted = json?.accepted
      batch.duplicates = json?.duplicates
    })
    const received = async () =>
      (await log())
        .filter((entry) => isEventsUrl(entry.path))
        .map((entry) => {
          const batch = batchOf(entry.path, entry.body, entry.at)
          const { accepted, duplicates } = JSON.parse(entry.response || '{}') as Partial<SentBatch>
          return { ...batch, contentType: entry.contentType, status: entry.status, accepted, duplicates }
        })
        .filter((batch) => batch.events.some((e: SentEvent) => configOfPageUrl(e.context.page.url)?.testId === testId))
    const sentIds = async () => new Set([...observed, ...(await received())].flatMap((b) => b.eventIds))
    const origin = (host = 'www.shop.stratum.test') => `http://${host}:${env.sitePort}`
    const url = (config: PageConfig, path = '', host?: string) => origin(host) + sitePath({ ...config, testId }, path)
    const shop: Shop = {
      api,
      sourceKey: env.sourceKey,
      collectorUrl: env.collectorUrl,
      endpoint: env.proxyUrl,
      origin,
      url,
      async open(config, path = '', target = page, host) {
        await target.goto(url(config, path, host))
      },
      observed,
      received,
      async bodies() {
        return [...bodies, ...(await log()).map((entry) => entry.body)]
      },
      async consentRecords(anonymousId) {
        return (await log())
          .filter((entry) => entry.path.includes('/consent') && entry.body.includes(anonymousId))
          .map((entry) => ({ status: entry.status, body: JSON.parse(entry.body) }))
      },
      async sentEvents() {
        const seen = new Map<string, SentEvent>()
        for (const batch of [...observed, ...(await received())].sort((a, b) => a.at - b.at)) {
          for (const event of batch.events) if (!seen.has(event.event_id)) seen.set(event.event_id, event)
        }
        return [...seen.values()]
      },
      pageErrors,
      async anonymousId(target = page) {
        const cookie = (await target.context().cookies()).find((c) => c.name === 'stratum_aid')
        if (!cookie) throw new Error('no stratum_aid cookie')
        return decodeURIComponent(cookie.value)
      },
      async expectStoredExactlyOnce(anonymousId, expectedCount, server = api) {
        if (expectedCount !== undefined) {
          await expect
            .poll(async () => (await sentIds()).size, {
              timeout: 60_000,
              message: `the browser should send ${expectedCount} events`,
            })
            .toBe(expectedCount)
        }
        const sent = await sentIds()
        let stored: StoredEvent[] = []
        await expect
          .poll(
            async () => {
              stored = await server.eventsOf('anonymous_id', anonymousId)
              return stored.length
            },
            { timeout: 60_000, message: `the collector should hold the ${sent.size} events sent` },
          )
          .toBeGreaterThanOrEqual(sent.size)
          .catch(async (error: Error) => {
            // Say which events are missing and what the collector answered to the requests that carried them.
            const have = new Set(stored.map((e) => e.event_id))
            const missing = [...sent].filter((id) => !have.has(id))
            const answers = (await log())
              .filter((entry) => missing.some((id) => entry.body.includes(id)))
              .map((entry) => {
                const answer = JSON.parse(entry.response || '{}') as { events?: { event_id: string }[] }
                const verdicts = answer.events?.filter((e) => missing.includes(e.event_id)) ?? []
                const counts = entry.response.replace(/"events":\[.*\]/s, '…').slice(0, 300)
                return `${entry.status} ${entry.path}: ${JSON.parse(entry.body).events.length} events sent; ${counts}; for the missing: ${JSON.stringify(verdicts)}`
              })
            error.message += `\nmissing: ${missing.join(', ')}\nrequests carrying them:\n${answers.join('\n') || '(none reached the collector)'}`
            throw error
          })
        const ids = stored.map((e) => e.event_id)
        expect(new Set(ids).size, 'each event stored once').toBe(ids.length)
        expect(new Set(ids)).toEqual(sent)
        // Events of one millisecond come back in any order: break ties by the order the browser queued them.
        const queued = (await shop.sentEvents()).map((e) => e.event_id)
        return stored.sort(
          (a, b) => a.event_time.localeCompare(b.event_time) || queued.indexOf(a.event_id) - queued.indexOf(b.event_id),
        )
      },
    }
    await use(shop)
  },
})

export { expect }
