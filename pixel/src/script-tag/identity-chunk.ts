import { type IdentityModule, identifyUser } from '../identify/hash-traits'

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
 * window.stratumIdentity.identifyUser(known, { email: 'jane@shop.example' })
 */
window.stratumIdentity = { identifyUser }
