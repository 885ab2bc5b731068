import type { Sql } from 'postgres'

/**
 * A statement with more parameters than this goes unprepared. Kysely writes
 * `IN ($1, $2, …)` lists whose text changes with their length; preparing
 * each variant would grow every connection's statement cache without
 * bound. The hot path uses array parameters (`= ANY`, `unnest`), whose
 * text never changes, so it is always prepared.
 */
const MAX_PREPARED_PARAMETERS = 64

/**
 * Wraps a postgres.js client so that the queries Kysely sends through a
 * reserved connection are prepared statements. kysely-postgres-js runs
 * every query with `unsafe()`, which postgres.js leaves unprepared: each
 * one then costs a Parse and Describe round trip before it runs, and is
 * planned again every time. Prepared, a statement is parsed once per
 * connection and then takes one round trip (collector/docs/performance.md).
 *
 * @example
 * const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: preparingStatements(postgres(url)) }) })
 */
export function preparingStatements(client: Sql): Sql {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'reserve') return Reflect.get(target, property, receiver)
      return async () => {
        const reserved = await target.reserve()
        return new Proxy(reserved, {
          get(connection, name, inner) {
            if (name !== 'unsafe') return Reflect.get(connection, name, inner)
            return (query: string, args: unknown[] = []) =>
              connection.unsafe(query, args as never[], { prepare: args.length > 0 && args.length <= MAX_PREPARED_PARAMETERS })
          },
        })
      }
    },
  })
}
