import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * Listens on 127.0.0.1 and resolves the port. The default, port 0, lets the
 * OS choose while binding: asking for a free port first and listening on it
 * later races with every outgoing connection's ephemeral port (it lost once,
 * with EADDRINUSE, and took the whole suite down).
 *
 * @example
 * const port = await listen(createServer(handler))
 */
export function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}
