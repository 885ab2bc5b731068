import { expect, test } from 'vitest'
import { streamQuery } from './stream-query'

test('no filter: no query string', () => {
  expect(streamQuery({ source: '', eventName: '  ', band: '' })).toBe('')
})

test('each filter becomes its query parameter, the event name trimmed and encoded', () => {
  expect(streamQuery({ source: 'server', eventName: ' Add To Cart ', band: 'poor' })).toBe('?source_id=server&event_name=Add+To+Cart&band=poor')
})
