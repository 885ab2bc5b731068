import type { Stratum } from '@stratum/pixel'

/** What pages use beyond their own view. */
export interface App {
  /** The pixel. */
  readonly stratum: Stratum
  navigate(path: string): void
}
