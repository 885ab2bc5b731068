import { LIMITS } from './event-contract'
import { unstorableReason } from '../db/storable'

/** Keys that could reach an object's prototype in careless downstream code. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** Why a value's shape is refused: a machine code and a message naming the path, never the value. */
export interface StructureProblem {
  code: 'forbidden_key' | 'key_too_long' | 'too_deep' | 'invalid_string'
  message: string
}

/**
 * Walks a parsed JSON value once and reports the first forbidden key
 * (`__proto__`, `constructor`, `prototype`), over-long key, nesting deeper
 * than `maxDepth` levels below the value itself, or string (value or key)
 * that PostgreSQL cannot store (a NUL, a lone surrogate). Iterative, so a
 * hostile document nested thousands of levels deep cannot overflow the
 * stack: run it before anything recursive (`JSON.stringify`, zod).
 *
 * @example
 * checkStructure({ a: { b: 1 } }, 2) // null: keys reach two levels
 * checkStructure({ a: { b: { c: 1 } } }, 2) // { code: 'too_deep', … }
 * checkStructure(JSON.parse('{"__proto__": {}}'), 5) // { code: 'forbidden_key', … }
 * checkStructure({ title: 'Sale \ud83d' }, 5) // { code: 'invalid_string', message: '$.title holds a lone UTF-16 surrogate …' }
 */
export function checkStructure(value: unknown, maxDepth: number, root = '$'): StructureProblem | null {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: root }]
  while (stack.length > 0) {
    const { value: current, depth, path } = stack.pop()!
    if (typeof current === 'string') {
      const reason = unstorableReason(current)
      if (reason) return { code: 'invalid_string', message: `${path} holds ${reason}` }
      continue
    }
    if (current === null || typeof current !== 'object') continue
    if (depth >= maxDepth) {
      return { code: 'too_deep', message: `${path} is nested too deeply (properties may nest ${LIMITS.propertyDepth} levels)` }
    }
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) stack.push({ value: current[i], depth: depth + 1, path: `${path}[${i}]` })
      continue
    }
    for (const key of Object.keys(current)) {
      const reason = unstorableReason(key)
      if (reason) return { code: 'invalid_string', message: `${path} has a key that holds ${reason}` }
      if (FORBIDDEN_KEYS.has(key)) return { code: 'forbidden_key', message: `${path} has the forbidden key "${key}"` }
      if (key.length > LIMITS.keyLength) {
        return { code: 'key_too_long', message: `${path} has a key longer than ${LIMITS.keyLength} characters` }
      }
      stack.push({ value: (current as Record<string, unknown>)[key], depth: depth + 1, path: `${path}.${key}` })
    }
  }
  return null
}
