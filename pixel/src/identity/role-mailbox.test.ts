import { describe, expect, it } from 'vitest'
import { isRoleMailbox } from './role-mailbox'

describe('isRoleMailbox', () => {
  it.each([
    'info@acme.io',
    'admin@acme.io',
    'sales@acme.io',
    'support@acme.io',
    'noreply@acme.io',
    'no-reply@acme.io',
    'contact@acme.io',
    'hello@acme.io',
    'office@acme.io',
    'billing@acme.io',
    'webmaster@acme.io',
    'postmaster@acme.io',
    'support+eu@acme.io',
  ])('%s is a role mailbox', (email) => {
    expect(isRoleMailbox(email)).toBe(true)
  })

  it.each(['mary@acme.io', 'information@acme.io', 'mary+info@acme.io', 'sales.mary@acme.io', 'user@info.com'])(
    '%s is personal',
    (email) => {
      expect(isRoleMailbox(email)).toBe(false)
    },
  )
})
