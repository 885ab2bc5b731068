/** A JSON object of a Segment message (properties, traits, context, …). */
export type Fields = Record<string, unknown>

/**
 * Whether a parsed JSON value is an object (not an array, not null).
 *
 * @example
 * isFields({ a: 1 }) // true
 * isFields([1]) // false
 */
export const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value)
