/**
 * Pragmatic address check, not RFC 5322: a local part without spaces or the characters that only
 * appear in display forms (`"Mary" <mary@x.io>`, lists), one `@`, dot-separated non-empty domain
 * labels, and a TLD of 2+ letters (any script) or an IDN `xn--` label.
 */
const EMAIL = /^[^\s@"<>(),;:[\]\\]+@(?:[^\s@"<>(),;:[\]\\.]+\.)+(?:\p{L}{2,}|xn--[a-z\d-]+)$/u

/**
 * Normalises an email address: trim, lowercase, Unicode NFC. Returns `null` when the result is not a
 * plausible address. No provider-specific rewriting (Gmail dots, `+tags`): other platforms hash the
 * address as typed, and matching needs the same bytes.
 *
 * @example
 * normalizeEmail(' John_Smith@Gmail.com ') // 'john_smith@gmail.com'
 * normalizeEmail('john at gmail') // null
 */
export function normalizeEmail(raw: string): string | null {
  // NFC last, so the output is NFC even where lowercasing produces combining marks (e.g. 'İ').
  const email = raw.trim().toLowerCase().normalize('NFC')
  return EMAIL.test(email) ? email : null
}
