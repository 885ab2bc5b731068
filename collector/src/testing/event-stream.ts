import { createParser, type EventSourceMessage } from 'eventsource-parser'

/** A server-sent event stream being read, as the console reads it (`fetch` and eventsource-parser). */
export interface EventStream {
  /** Every message so far, in order; `data` parsed from JSON. */
  messages: Array<{ event: string; data: any }>
  /** Resolves with the first message (seen or to come) that `match` accepts; rejects after `timeoutMs`. */
  waitFor(match: (message: { event: string; data: any }) => boolean, timeoutMs?: number): Promise<{ event: string; data: any }>
  /** Resolves when the server ends the stream. */
  ended: Promise<void>
  /** Disconnects, as a closed browser tab would. */
  close(): Promise<void>
}

/**
 * Reads a `text/event-stream` response body in the background.
 *
 * @example
 * const stream = readEventStream(await app.request('/api/v1/cdp/events/stream', { headers }))
 * await stream.waitFor((m) => m.event === 'ready')
 */
export function readEventStream(response: Response): EventStream {
  const messages: Array<{ event: string; data: any }> = []
  const waiters = new Set<() => void>()
  const parser = createParser({
    onEvent: (message: EventSourceMessage) => {
      messages.push({ event: message.event ?? 'message', data: JSON.parse(message.data) })
      for (const wake of waiters) wake()
    },
  })
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  const ended = (async () => {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) parser.feed(chunk.value)
  })().catch(() => {})
  return {
    messages,
    ended,
    waitFor(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match)
          if (!found) return
          cleanup()
          resolve(found)
        }
        const timer = setTimeout(() => {
          cleanup()
          reject(new Error(`no matching message in ${timeoutMs} ms; got ${JSON.stringify(messages.map((m) => m.event))}`))
        }, timeoutMs)
        const cleanup = () => {
          clearTimeout(timer)
          waiters.delete(check)
        }
        waiters.add(check)
        check()
      })
    },
    close: async () => {
      await reader.cancel().catch(() => {})
      await ended
    },
  }
}
