import { LIMITS } from '../api/schemas/event-schema'

/** Keys that could reach an object's prototype in careless downstream code. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** Why a value's shape is refused: a machine code and a message naming the path. */
export interface StructureProblem {
  code: 'forbidden_key' | 'key_too_long' | 'too_deep'
  message: string
}

/**
 * Walks a parsed JSON value once and reports the first forbidden key
 * (`__proto__`, `constructor`, `prototype`), over-long key, or nesting deeper
 * than `maxDepth` levels below the value itself. Iterative, so a hostile
 * document nested thousands of levels deep cannot overflow the stack.
 *
 * @example
 * checkStructure({ a: { b: 1 } }, 2) // null: keys reach two levels
 * checkStructure({ a: { b: { c: 1 } } }, 2) // { code: 'too_deep', … }
 * checkStructure(JSON.parse('{"__proto__": {}}'), 5) // { code: 'forbidden_key', … }
 */
export function checkStructure(value: unknown, maxDepth: number, root = '$'): StructureProblem | null {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: root }]
  while (stack.length > 0) {
    const { value: current, depth, path } = stack.pop()!
    if (current === null || typeof current !== 'object') continue
    if (depth >= maxDepth) {
      return { code: 'too_deep', message: `${path} is nested too deeply (properties may nest ${LIMITS.propertyDepth} levels)` }
    }
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) stack.push({ value: current[i], depth: depth + 1, path: `${path}[${i}]` })
      continue
    }
    for (const key of Object.keys(current)) {
      if (FORBIDDEN_KEYS.has(key)) return { code: 'forbidden_key', message: `${path} has the forbidden key "${key}"` }
      if (key.length > LIMITS.keyLength) {
        return { code: 'key_too_long', message: `${path} has a key longer than ${LIMITS.keyLength} characters` }
      }
      stack.push({ value: (current as Record<string, unknown>)[key], depth: depth + 1, path: `${path}.${key}` })
    }
  }
  return null
}
