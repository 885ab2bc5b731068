/** The script-tag pixel as page scripts see it (for `page.evaluate` in specs). */
declare global {
  interface Window {
    stratum: ((...args: unknown[]) => unknown) & { q?: unknown[]; loaded?: true }
  }
}

export {}
