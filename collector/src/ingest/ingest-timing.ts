/**
 * Where one batch's time went inside `ingestBatch`, in milliseconds: the
 * parts a `Server-Timing` header reports (collector/docs/pipeline.md,
 * "Where a batch's time goes"). A part that ran more than once — a
 * transaction retried, or split to isolate an event the database refused —
 * counts every run.
 */
export type IngestTiming = {
  /** Validation, normalisation, hashing, EMQ and the rows: JavaScript, before any transaction. */
  prepare: number
  /** From the rows to the transaction's first statement: a pooled connection, `BEGIN` and the tenant's setting. */
  connect: number
  /** The append's statements: the claims, the events, the outbox. */
  append: number
  /** `COMMIT` and the connection's release. */
  commit: number
  /** After the commit: the wait for resolution (`Prefer: wait=resolved`), or backpressure's. */
  wait: number
}

/**
 * A timing with every part at zero.
 *
 * @example
 * const timing = emptyTiming()
 */
export function emptyTiming(): IngestTiming {
  return { prepare: 0, connect: 0, append: 0, commit: 0, wait: 0 }
}

/**
 * Runs `work` inside the transaction that `transact` opens, and adds to
 * `timing` what opening it, the work and committing it took. A transaction
 * that failed still counts what it spent.
 *
 * @example
 * const outcome = await timeTransaction(timing, (inside) => withTenant(db, tenantId, inside), (trx) => appendEvents(trx, auth, batch, rows))
 */
export async function timeTransaction<Trx, T>(
  timing: IngestTiming,
  transact: (inside: (trx: Trx) => Promise<T>) => Promise<T>,
  work: (trx: Trx) => Promise<T>,
): Promise<T> {
  const started = performance.now()
  let opened: number | undefined
  let worked: number | undefined
  try {
    return await transact(async (trx) => {
      opened = performance.now()
      try {
        return await work(trx)
      } finally {
        worked = performance.now()
      }
    })
  } finally {
    const ended = performance.now()
    timing.connect += (opened ?? ended) - started
    if (opened !== undefined && worked !== undefined) {
      timing.append += worked - opened
      timing.commit += ended - worked
    }
  }
}
