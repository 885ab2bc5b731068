/** The collector's version, reported by `/health` and `stratum --version`. */
export const VERSION = '0.1.0'
