import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'

/** A local webhook endpoint that checks signatures with the Standard Webhooks reference library. */
export interface WebhookReceiver {
  url: string
  /** Messages whose signature verified, with their `webhook-id` and parsed body. */
  verified: Array<{ id: string; body: any }>
  /** Requests whose signature did not verify. */
  refused: number
  /** Statuses for the next requests, before the default 204. */
  answerNext(...statuses: Array<{ status: number; headers?: Record<string, string> }>): void
  /** How long each answer waits. */
  delayMs: number
  close(): Promise<void>
}

/**
 * Starts a webhook receiver on 127.0.0.1 that verifies every request with
 * `standardwebhooks` (npm), as a tenant's endpoint would; a bad signature is
 * answered 401 and counted.
 *
 * @example
 * const hook = await startWebhookReceiver(secret)
 * hook.verified[0]?.body.data.event_id
 */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const verifier = new Webhook(secret)
  const scripted: Array<{ status: number; headers?: Record<string, string> }> = []
  const state = { verified: [] as WebhookReceiver['verified'], refused: 0, delayMs: 0 }
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let text = ''
    for await (const chunk of req) text += chunk
    if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs))
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]))
    try {
      const body = verifier.verify(text, headers)
      state.verified.push({ id: headers['webhook-id']!, body })
    } catch {
      state.refused++
      res.writeHead(401).end()
      return
    }
    const answer = scripted.shift() ?? { status: 204 }
    res.writeHead(answer.status, answer.headers).end()
  }
  const server = createServer((req, res) => void handle(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    get verified() {
      return state.verified
    },
    get refused() {
      return state.refused
    },
    answerNext: (...statuses) => scripted.push(...statuses),
    get delayMs() {
      return state.delayMs
    },
    set delayMs(ms: number) {
      state.delayMs = ms
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
