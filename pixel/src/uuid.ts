/**
 * A random UUID v4: `crypto.randomUUID` where it exists (secure contexts
 * only), else the same from `crypto.getRandomValues`, which plain-http pages
 * also have.
 *
 * @example
 * uuid() // '3b241101-e2bb-4255-8caf-4136c566a962'
 */
export function uuid(): string {
  return crypto.randomUUID
    ? crypto.randomUUID()
    : // Each 0/1/8 of the template becomes a random hex digit, keeping the version (4) and variant (8–b) bits.
      '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
        (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16),
      )
}
