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
  if (!enabled) return loggerFrom(() => {})
  return loggerFrom((level, msg, fields) =>
    (level === 'info' ? process.stdout : process.stderr).write(
      `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...common, ...fields })}\n`,
    ),
  )
}

/** A log line's level: the name of the {@link Logger} method that wrote it. */
export type LogLevel = keyof Logger

/**
 * A logger whose three levels all go to one function: a test's recorder, or
 * the resolver thread's relay to the main thread's logger.
 *
 * @example
 * const lines: string[] = []
 * const log = loggerFrom((level, msg, fields) => lines.push(`${level} ${msg}`))
 */
export function loggerFrom(write: (level: LogLevel, msg: string, fields: LogFields) => void): Logger {
  return {
    info: (msg, fields = {}) => write('info', msg, fields),
    warn: (msg, fields = {}) => write('warn', msg, fields),
    error: (msg, fields = {}) => write('error', msg, fields),
  }
}
