/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The website source's public key (`pnpm start` prints the demo one). */
  readonly VITE_STRATUM_SOURCE_KEY: string
  /** The collector's base URL. */
  readonly VITE_STRATUM_ENDPOINT: string
}
