import { describe, expect, test } from 'vitest'
import { actionSourceOf } from './action-source'
import { clickIdsOf } from './click-ids'
import { mapContext } from './map-context'

const options = { eventTimeMs: 1767225600000, channel: undefined, fallback: 'server' as const }

describe('mapContext', () => {
  test("analytics.js's context, as Stratum's event keeps it", () => {
    const mapped = mapContext(
      {
        page: { url: 'https://shop.example/?utm_source=news&fbclid=IwAR2x', path: '/', referrer: 'https://news.example/', title: 'Shop', search: '?utm_source=news&fbclid=IwAR2x' },
        userAgent: 'Mozilla/5.0',
        locale: 'de-DE',
        timezone: 'Europe/Berlin',
        library: { name: 'analytics.js', version: 'npm:next-1.84.3' },
        campaign: { source: 'news', name: 'spring', medium: 'email', term: 'sofa', content: 'top', id: 42 },
        ip: '203.0.113.9',
        traits: { email: 'read by the caller' },
        consent: { categoryPreferences: { Advertising: false, Analytics: true, Bad: 'yes' } },
      },
      options,
    )
    expect(mapped).toEqual({
      context: {
        page: { url: 'https://shop.example/?utm_source=news&fbclid=IwAR2x', path: '/', referrer: 'https://news.example/', title: 'Shop', search: '?utm_source=news&fbclid=IwAR2x' },
        user_agent: 'Mozilla/5.0',
        locale: 'de-DE',
        timezone: 'Europe/Berlin',
        library: { name: 'analytics.js', version: 'npm:next-1.84.3' },
        campaign: { utm_source: 'news', utm_campaign: 'spring', utm_medium: 'email', utm_term: 'sofa', utm_content: 'top', id: '42' },
        ip: '203.0.113.9',
        click_ids: { fbc: 'fb.1.1767225600000.IwAR2x' },
        consent: { categoryPreferences: { Advertising: false, Analytics: true, Bad: 'yes' } },
      },
      consent: { Advertising: false, Analytics: true },
      actionSource: 'website',
      displaced: {},
    })
  })

  test("a page call's properties complete the page; a session id becomes Stratum's; mobile fields stay", () => {
    const mapped = mapContext({ sessionId: 1700000000, device: { model: 'Pixel' }, app: { name: 'Shop' } }, { ...options, page: { url: 'https://shop.example/a' } })
    expect(mapped.context).toEqual({ session_id: '1700000000', device: { model: 'Pixel' }, app: { name: 'Shop' }, page: { url: 'https://shop.example/a' } })
    expect(mapped.actionSource).toBe('website')
  })

  test("fields under a name Stratum's context gives its own meaning are displaced, not dropped", () => {
    const mapped = mapContext({ session_id: { a: 1 }, click_ids: 'x', user_agent: 'y', sessionId: { nested: true } }, options)
    expect(mapped.context).toEqual({})
    expect(mapped.displaced).toEqual({ session_id: { a: 1 }, click_ids: 'x', user_agent: 'y', sessionId: { nested: true } })
  })
})

describe('clickIdsOf', () => {
  test("from a page's query or URL, then the campaign; fbclid as Meta's fbc", () => {
    expect(clickIdsOf(['?gclid=G1&ttclid=T1'], {}, 5)).toEqual({ gclid: 'G1', ttclid: 'T1' })
    expect(clickIdsOf([undefined, 'https://shop.example/p?fbclid=F1#top'], { gclid: 'G2' }, 5)).toEqual({ fbc: 'fb.1.5.F1', gclid: 'G2' })
    expect(clickIdsOf(['?utm_source=x', 'https://shop.example/'], {}, 5)).toBeUndefined()
  })
})

describe('actionSourceOf', () => {
  test('the channel, else what the context shows, else the fallback', () => {
    expect(actionSourceOf('mobile', { page: {} }, 'server')).toBe('app')
    expect(actionSourceOf('browser', {}, 'server')).toBe('website')
    expect(actionSourceOf(undefined, { library: { name: 'analytics.js' } }, 'server')).toBe('website')
    expect(actionSourceOf(undefined, { device: { type: 'ios' } }, 'website')).toBe('app')
    expect(actionSourceOf('elsewhere', { library: { name: '@segment/analytics-node' } }, 'server')).toBe('server')
  })
})
