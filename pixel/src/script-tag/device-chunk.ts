import { load } from '@fingerprintjs/fingerprintjs'
import { visitorIdFrom } from '../visitor/visitor-id'

declare global {
  interface Window {
    /** Set by `stratum-device.min.js`; called by the script-tag pixel. */
    stratumDevice?: () => Promise<string>
  }
}

/**
 * Entry of `dist/stratum-device.min.js`, the FingerprintJS chunk of the
 * script-tag build. An IIFE cannot code-split, so the core loads this file
 * with a script element when (and only when) a device id is wanted, and
 * finds the function it exposes on `window`.
 *
 * @example
 * await window.stratumDevice() // 'e0f4b1c7…'
 */
window.stratumDevice = () => visitorIdFrom(load)
