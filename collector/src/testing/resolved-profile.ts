import type { ProfileView } from '../profiles/load-profile'

/** A GET against the collector's API as a tenant's admin: status and parsed JSON body. */
export type ApiGet = (path: string) => Promise<{ status: number; body: any }>

/**
 * The profile that owns an identifier (a raw email or phone is hashed by the
 * lookup), with its journey oldest first, once ingest has resolved what was
 * sent — it waits until the tenant has no event pending resolution — the one
 * place the Segment tests read profiles. `undefined` when nobody holds it.
 *
 * @example
 * const found = await resolvedProfile((path) => t.call('GET', path, { token }), 'external_id', 'cust-1')
 */
export async function resolvedProfile(
  get: ApiGet,
  type: string,
  value: string,
): Promise<{ profile: ProfileView; events: Array<Record<string, any>> } | undefined> {
  await untilResolved(get)
  const found = await get(`/api/v1/cdp/profiles?identifier_type=${type}&identifier_value=${encodeURIComponent(value)}`)
  if (found.status === 404) return undefined
  if (found.status !== 200) throw new Error(`profile lookup answered ${found.status}: ${JSON.stringify(found.body)}`)
  const profile = found.body as ProfileView
  const journey = await get(`/api/v1/cdp/profiles/${profile.id}/events?limit=500`)
  if (journey.status !== 200) throw new Error(`journey answered ${journey.status}: ${JSON.stringify(journey.body)}`)
  const events = (journey.body.data as Array<Record<string, any>>).sort((a, b) => String(a.event_time).localeCompare(String(b.event_time)))
  return { profile, events }
}

/** Waits, at most 15 s, until `GET /health` shows no event of the tenant waiting for resolution (collector/docs/pipeline.md). */
async function untilResolved(get: ApiGet) {
  const deadline = Date.now() + 15_000
  for (;;) {
    const health = await get('/api/v1/cdp/health')
    if (health.body?.resolution?.pending === 0) return
    if (Date.now() > deadline) throw new Error(`resolution still pending after 15 s: ${JSON.stringify(health.body?.resolution)}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
