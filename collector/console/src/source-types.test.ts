import { expect, test } from 'vitest'
import { npmUsage, parseOrigins, scriptTag } from './source-types'

test('the script tag loads the pixel from the collector with the key filled in', () => {
  expect(scriptTag('https://collect.shop.example', 'sk_abc')).toBe(
    '<script async src="https://collect.shop.example/stratum.min.js" data-source-key="sk_abc"></script>',
  )
})

test('the npm usage names the key and the endpoint', () => {
  const code = npmUsage('https://collect.shop.example', 'sk_abc')
  expect(code).toContain("createStratum({ sourceKey: 'sk_abc', endpoint: 'https://collect.shop.example' })")
})

test('origins are read one per line, or separated by commas or spaces', () => {
  expect(parseOrigins(' https://a.example\n\nhttps://b.example, https://c.example ')).toEqual([
    'https://a.example',
    'https://b.example',
    'https://c.example',
  ])
})
