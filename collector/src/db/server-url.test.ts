import { existsSync } from 'node:fs'
import { sql } from 'kysely'
import { expect, test } from 'vitest'
import { createDatabase } from './create-database'
import { readServerUrl } from './server-url'

test('a URL with a host and no libpq query parameters is passed through untouched', () => {
  for (const url of ['postgres://app:p%40ss@db.internal:6432/stratum?sslmode=require', 'postgresql://127.0.0.1/test']) {
    expect(readServerUrl(url)).toEqual({ url })
  }
})

test("libpq's socket forms name the socket's folder, and leave a URL postgres.js parses", () => {
  expect(readServerUrl('postgres://app:secret@/stratum?host=/cloudsql/proj:eu:db')).toEqual({
    url: 'postgres://app:secret@localhost/stratum',
    socketDir: '/cloudsql/proj:eu:db',
  })
  expect(readServerUrl('postgresql://%2Fvar%2Frun%2Fpostgresql/stratum?application_name=x')).toEqual({
    url: 'postgresql://localhost/stratum?application_name=x',
    socketDir: '/var/run/postgresql',
  })
  // The socket file is named after the port: /tmp/.s.PGSQL.5440.
  expect(readServerUrl('postgres://%2Ftmp:5440/stratum')).toEqual({ url: 'postgres://localhost:5440/stratum', socketDir: '/tmp' })
})

test("the host and port query parameters override the URL's own, as in libpq", () => {
  expect(readServerUrl('postgres://app@/stratum?host=db.internal&port=6432')).toEqual({ url: 'postgres://app@db.internal:6432/stratum' })
  // No host at all is localhost, as postgres.js reads `postgres:///stratum`.
  expect(readServerUrl('postgres://app@/stratum')).toEqual({ url: 'postgres://app@localhost/stratum' })
  expect(readServerUrl('postgres://app@old:5432/stratum?port=6543&sslmode=require')).toEqual({
    url: 'postgres://app@old:6543/stratum?sslmode=require',
  })
})

// The shared server's socket (Debian's default folder), when this run is on that server.
const url = process.env.DATABASE_URL
const socket = '/var/run/postgresql/.s.PGSQL.5432'
const local = !!url && /@(127\.0\.0\.1|localhost)(:5432)?\//.test(url)

test.skipIf(!local || !existsSync(socket))('the collector connects through a Unix-domain socket named the libpq way', async () => {
  const database = new URL(url!).pathname
  const { db, close } = await createDatabase({ databaseUrl: `postgres://postgres@${database}?host=/var/run/postgresql` })
  try {
    // Over a Unix-domain socket the server has no client address.
    const { rows } = await sql<{ address: string | null }>`SELECT inet_client_addr()::text AS address`.execute(db)
    expect(rows).toEqual([{ address: null }])
  } finally {
    await close()
  }
})
