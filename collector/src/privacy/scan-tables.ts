import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/schema'

/** A row that contains one of the values looked for. */
export interface Finding {
  table: string
  value: string
  row: string
}

/**
 * Looks for values anywhere in the database, case-insensitively: every
 * column of every table and partition of the current schema, read as the
 * row's JSON text (which covers text, jsonb, uuid and array columns alike).
 * Tables with a `tenant_id` are read for `tenantId` only, so tests sharing a
 * PostgreSQL server cannot see each other's rows. Must run as the owner, which
 * row-level security does not filter. The privacy tests' proof that erased
 * or raw values are nowhere.
 *
 * @example
 * expect(await scanTables(db, [emailHash, profileId], tenantId)).toEqual([])
 */
export async function scanTables(db: Kysely<Database>, values: readonly string[], tenantId: string): Promise<Finding[]> {
  const { rows: tables } = await sql<{ name: string; tenant_scoped: boolean }>`
    SELECT c.relname AS name, EXISTS (
      SELECT 1 FROM pg_attribute AS a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
    ) AS tenant_scoped
    FROM pg_class AS c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1
  `.execute(db)
  // Escaped: `_` and `%` in a value must match themselves, not any character.
  const patterns = values.map((v) => `%${v.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)
  const findings: Finding[] = []
  for (const table of tables) {
    const scope = table.tenant_scoped ? sql`t.tenant_id = ${tenantId}` : sql`true`
    const { rows } = await sql<{ row: string }>`
      SELECT to_jsonb(t)::text AS row FROM ${sql.table(table.name)} AS t
      WHERE ${scope} AND to_jsonb(t)::text ILIKE ANY(${patterns}::text[])
    `.execute(db)
    for (const { row } of rows) {
      for (const value of values.filter((v) => row.toLowerCase().includes(v.toLowerCase()))) {
        findings.push({ table: table.name, value, row })
      }
    }
  }
  return findings
}
