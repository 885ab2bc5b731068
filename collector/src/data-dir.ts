import { accessSync, constants, mkdirSync } from 'node:fs'
import { StratumError } from './errors'

/**
 * Creates the data folder (`STRATUM_DATA_DIR`, with its parents) when
 * missing, and fails with one clear line when it cannot be created or
 * written to: before anything is written to the database or served, so a
 * start never stops halfway.
 *
 * @example
 * ensureDataDir(config.dataDir)
 */
export function ensureDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true })
    accessSync(dataDir, constants.W_OK)
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    throw new StratumError(500, 'invalid_config', `STRATUM_DATA_DIR: cannot create or write to ${dataDir} (${reason})`)
  }
}
