/** What the global setup started, handed to the test workers through `STRATUM_E2E`. */
export interface E2eEnv {
  /** The collector itself, for the REST API. */
  collectorUrl: string
  /** The recording proxy in front of it: the pages' endpoint. */
  proxyUrl: string
  token: string
  sourceKey: string
  sitePort: number
}

/**
 * Reads the environment the global setup left for the workers.
 *
 * @example
 * const { collectorUrl, sitePort } = e2eEnv()
 */
export function e2eEnv(): E2eEnv {
  const raw = process.env.STRATUM_E2E
  if (!raw) throw new Error('STRATUM_E2E is not set: run the suite with playwright.config.ts (global setup)')
  return JSON.parse(raw)
}

/** Hosts of the test shop; `--host-resolver-rules` maps them to 127.0.0.1. */
export const SHOP_HOSTS = ['www.shop.stratum.test', 'blog.shop.stratum.test'] as const
