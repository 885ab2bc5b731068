import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { metaCapiViolations } from './meta-capi-contract'

/** An answer the fake gives instead of its own verdict. */
export interface ScriptedAnswer {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

/** A local stand-in for the Graph API's `/{version}/{pixel}/events` edge. */
export interface FakeGraphApi {
  url: string
  /** Every request received: its path and parsed body. */
  requests: Array<{ path: string; body: any }>
  /** The events of every request the fake accepted (2xx), in order. */
  accepted: any[]
  /** Answers for the next requests, in order, before the fake's own verdict. */
  answerNext(...answers: ScriptedAnswer[]): void
  /** Event ids Meta would refuse as bad data: a request holding one gets a 400. */
  badEventIds: Set<string>
  /** How long each answer waits. */
  delayMs: number
  /** Requests wait, unanswered, until `release()`. */
  hold(): { release(): void }
  close(): Promise<void>
}

const error = (status: number, code: number, title: string, message: string, transient = false): ScriptedAnswer => ({
  status,
  body: { error: { message: 'Invalid parameter', type: 'OAuthException', code, error_subcode: 2804003, is_transient: transient, error_user_title: title, error_user_msg: message, fbtrace_id: 'AbCdEf' } },
})

/**
 * Starts a fake Graph API on 127.0.0.1. Every request is checked against the
 * Conversions API contract (`meta-capi-contract.ts`): a violation is a 400 in
 * Graph's error shape, like Meta's own; a valid request is answered with
 * `events_received`, unless the test scripted another answer.
 *
 * @example
 * const graph = await startFakeGraphApi()
 * graph.answerNext({ status: 429, headers: { 'retry-after': '1' } })
 */
export async function startFakeGraphApi(): Promise<FakeGraphApi> {
  const scripted: ScriptedAnswer[] = []
  let held: Promise<void> | undefined
  const api: Omit<FakeGraphApi, 'url' | 'close'> = {
    requests: [],
    accepted: [],
    answerNext: (...answers) => scripted.push(...answers),
    badEventIds: new Set(),
    delayMs: 0,
    hold() {
      let release = () => {}
      held = new Promise((resolve) => {
        release = () => {
          held = undefined
          resolve()
        }
      })
      return { release }
    },
  }
  const verdict = (path: string, body: any): ScriptedAnswer => {
    if (!/^\/v\d+\.\d+\/\d+\/events$/.test(path)) return error(400, 803, 'Unknown path', path)
    const violations = metaCapiViolations(body, new Date())
    if (violations.length > 0) return error(400, 100, 'Invalid parameter', violations.join('; '))
    const bad = body.data.find((e: { event_id: string }) => api.badEventIds.has(e.event_id))
    if (bad) return error(400, 100, 'Invalid event', `event ${bad.event_id} has invalid data`)
    api.accepted.push(...body.data)
    return { status: 200, body: { events_received: body.data.length, messages: [], fbtrace_id: randomBytes(8).toString('hex') } }
  }
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let text = ''
    for await (const chunk of req) text += chunk
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {}
    const path = new URL(req.url ?? '/', 'http://fake').pathname
    api.requests.push({ path, body })
    await held
    if (api.delayMs > 0) await new Promise((r) => setTimeout(r, api.delayMs))
    const answer = scripted.shift() ?? verdict(path, body)
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
    res.end(JSON.stringify(answer.body ?? {}))
  }
  const server = createServer((req, res) => void handle(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    ...api,
    get delayMs() {
      return api.delayMs
    },
    set delayMs(ms: number) {
      api.delayMs = ms
    },
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
