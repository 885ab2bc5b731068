/** Fields of one structured log line. Never put raw PII here. */
export type LogFields = Record<string, string | number | boolean | null | undefined>

/** A structured JSON logger writing one line per call. */
export interface Logger {
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
}

/**
 * Creates a logger that writes JSON lines to stdout (info) and stderr (warn,
 * error), each with the `common` fields (a worker's pid). `enabled: false`
 * silences it, for tests.
 *
 * @example
 * const log = createLogger()
 * log.info('request', { method: 'POST', status: 200 })
 */
export function createLogger(enabled = true, common: LogFields = {}): Logger {
  const write = (level: string, stream: NodeJS.WriteStream) => (msg: string, fields: LogFields = {}) => {
    if (!enabled) return
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...common, ...fields })}\n`)
  }
  return { info: write('info', process.stdout), warn: write('warn', process.stderr), error: write('error', process.stderr) }
}
