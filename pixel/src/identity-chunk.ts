import { hashTraits, type IdentityModule } from './hash-traits'

declare global {
  interface Window {
    /** Set by `stratum-identity.min.js`; used by the script-tag pixel. */
    stratumIdentity?: IdentityModule
  }
}

/**
 * Entry of `dist/stratum-identity.min.js`: normalisation and SHA-256 for the
 * script-tag build, fetched by the core right after `init` (an IIFE cannot
 * code-split). Keeping them out of the core keeps it within 6 KB.
 *
 * @example
 * window.stratumIdentity.hashTraits({ email: 'jane@shop.example' }).identifiers[0].value // '3a4c…'
 */
window.stratumIdentity = { hashTraits }
