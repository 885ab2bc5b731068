/**
 * Local parts of shared mailboxes: several people (or none) read them, so they must not join two
 * profiles together even though they are real addresses.
 */
const ROLE_LOCAL_PARTS: readonly string[] = [
  'info',
  'admin',
  'administrator',
  'sales',
  'support',
  'help',
  'noreply',
  'no-reply',
  'no_reply',
  'donotreply',
  'do-not-reply',
  'contact',
  'hello',
  'office',
  'billing',
  'accounts',
  'webmaster',
  'postmaster',
  'hostmaster',
  'abuse',
  'root',
  'team',
  'marketing',
  'enquiries',
  'inquiries',
  'orders',
  'service',
  'feedback',
  'jobs',
  'careers',
  'hr',
  'privacy',
  'security',
  'newsletter',
  'mail',
]

/**
 * Whether a normalised email address is a role mailbox. A `+tag` is ignored (`info+shop@…`).
 *
 * @example
 * isRoleMailbox('support+eu@acme.io') // true
 * isRoleMailbox('mary@acme.io') // false
 */
export function isRoleMailbox(email: string): boolean {
  const local = email.slice(0, email.indexOf('@'))
  return ROLE_LOCAL_PARTS.includes(local.split('+')[0] ?? local)
}
