import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Driver } from './driver-client'
import type { PhaseResult } from './driver-protocol'

/** Ingest with one enabled destination, and what it delivered meanwhile. */
export interface DestinationFigures {
  connections: number
  phase: PhaseResult
  /** Events/s with the destination over events/s without it, at the same number of connections. */
  ratio: number
  /** Events the destination received during the phase. */
  delivered: number
}

/**
 * The Trust Engine's cost (collector/docs/trust-engine.md): a Meta destination
 * that delivers every event (`override` to Full) to a local sink answering as
 * the Conversions API does, then one closed-loop phase at `connections`, as a
 * ratio to the same phase without it. The destination is disabled afterwards,
 * so later phases run without it.
 *
 * @example
 * const figures = await measureWithDestination(driver, { url, adminToken, connections: 8, seconds: 10, bodies: 400, without: 9000 })
 */
export async function measureWithDestination(
  driver: Driver,
  options: { url: string; adminToken: string; connections: number; seconds: number; bodies: number; without: number },
): Promise<DestinationFigures> {
  let delivered = 0
  const sink = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      const events = (JSON.parse(body) as { data: unknown[] }).data.length
      delivered += events
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ events_received: events, messages: [] }))
    })
  })
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve))
  const api = (method: string, path: string, body: unknown) =>
    fetch(`${options.url}/api/v1/cdp${path}`, {
      method,
      headers: { authorization: `Bearer ${options.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  try {
    const created = await api('POST', '/destinations', {
      name: 'bench sink',
      type: 'meta_capi',
      config: { pixel_id: '1', access_token: 'bench', api_base_url: `http://127.0.0.1:${(sink.address() as AddressInfo).port}` },
      policy: { override: true, level: 'full' },
    })
    if (created.status !== 201) throw new Error(`POST /destinations answered ${created.status}: ${await created.text()}`)
    const { id } = (await created.json()) as { id: string }
    const phase = await driver.run({ kind: 'closed', connections: options.connections, seconds: options.seconds, bodies: options.bodies })
    const during = delivered
    await api('PATCH', `/destinations/${id}`, { enabled: false })
    return { connections: options.connections, phase, ratio: phase.eventsPerSecond / options.without, delivered: during }
  } finally {
    sink.close()
  }
}
