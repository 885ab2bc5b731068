import type { SourceType } from '../db/schema'
import type { TestApp } from './test-app'

/** A source as `POST /sources` answers it. */
export interface CreatedSource {
  id: string
  source_type: SourceType
  /** The key, shown in full only in this answer for `server` and `crm` sources. */
  source_key: string
}

/**
 * Creates a source through the API, as a tenant's admin would, and fails the
 * test unless it is created.
 *
 * @example
 * const shop = await createTestSource(t, tenant, 'website', ['https://shop.example'])
 * await t.call('POST', '/api/v1/cdp/events', { body, headers: { 'x-source-key': shop.source_key } })
 */
export async function createTestSource(
  t: TestApp,
  tenantId: string,
  sourceType: SourceType,
  allowedOrigins: string[] = [],
): Promise<CreatedSource> {
  const res = await t.call('POST', '/api/v1/cdp/sources', {
    token: await t.token(tenantId, ['sources:write']),
    body: { name: `${sourceType} source`, source_type: sourceType, allowed_origins: allowedOrigins },
  })
  if (res.status !== 201) throw new Error(`POST /sources answered ${res.status}: ${JSON.stringify(res.body)}`)
  return res.body as CreatedSource
}
