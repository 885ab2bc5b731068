import { describe, expect, it } from 'vitest'
import { isHumanUserAgent, scoreClientIp, scoreContextRichness } from './score-context-richness'

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'

describe('scoreClientIp', () => {
  it.each([
    // public
    ['8.8.8.8', 4],
    ['1.1.1.1', 4],
    ['2001:4860:4860::8888', 5],
    ['2606:4700:4700::1111', 5],
    // IPv4 client on a dual-stack socket: scored as IPv4, no IPv6 bonus
    ['::ffff:8.8.8.8', 4],
    ['::ffff:10.0.0.1', 0],
    // not public
    ['10.0.0.1', 0],
    ['172.16.0.1', 0],
    ['192.168.1.1', 0],
    ['127.0.0.1', 0],
    ['100.64.0.1', 0],
    ['169.254.1.1', 0],
    ['0.0.0.0', 0],
    ['255.255.255.255', 0],
    ['224.0.0.1', 0],
    ['203.0.113.1', 0],
    ['::1', 0],
    ['::', 0],
    ['fe80::1', 0],
    ['fe80::1%eth0', 0],
    ['fc00::1', 0],
    ['fd12:3456:789a::1', 0],
    ['ff02::1', 0],
    ['2001:db8::1', 0],
    ['2002:808:808::1', 0],
    ['4000::1', 0],
    // malformed
    ['', 0],
    ['not-an-ip', 0],
    ['256.1.1.1', 0],
    ['8.8.8', 0],
    ['010.0.0.1', 0],
    ['134744072', 0],
    ['1.2.3.4:8080', 0],
  ])('%s → %d', (ip, points) => {
    expect(scoreClientIp(ip)).toBe(points)
  })

  it('is 0 without an IP', () => {
    expect(scoreClientIp(undefined)).toBe(0)
  })
})

describe('isHumanUserAgent', () => {
  it.each([
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
    'curl/8.4.0',
    'python-requests/2.31.0',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
    'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  ])('rejects bot %s', (ua) => {
    expect(isHumanUserAgent(ua)).toBe(false)
  })

  it.each([
    CHROME,
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.2; rv:121.0) Gecko/20100101 Firefox/121.0',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.43 Mobile Safari/537.36',
  ])('accepts browser %s', (ua) => {
    expect(isHumanUserAgent(ua)).toBe(true)
  })

  it('rejects an empty or missing user agent', () => {
    expect(isHumanUserAgent('')).toBe(false)
    expect(isHumanUserAgent(' ')).toBe(false)
    expect(isHumanUserAgent(undefined)).toBe(false)
  })
})

describe('scoreContextRichness', () => {
  it('is 0 with no context', () => {
    expect(scoreContextRichness({ context: {} })).toBe(0)
  })

  it.each([
    ['public IPv4', { clientIp: '8.8.8.8', context: {} }, 4],
    ['public IPv6', { clientIp: '2001:4860:4860::8888', context: {} }, 5],
    ['browser UA', { userAgent: CHROME, context: {} }, 4],
    ['bot UA', { userAgent: 'curl/8.4.0', context: {} }, 0],
    ['page URL', { context: { page: { url: 'https://shop.example/' } } }, 2],
    ['empty page URL', { context: { page: { url: '' } } }, 0],
    ['referrer', { context: { page: { referrer: 'https://google.com/' } } }, 1],
    ['UTM', { context: { campaign: { utm_source: 'newsletter' } } }, 2],
    ['custom campaign key', { context: { campaign: { name: 'spring' } } }, 2],
    ['empty campaign', { context: { campaign: {} } }, 0],
    ['campaign with blank values', { context: { campaign: { utm_source: '', utm_medium: null } } }, 0],
    ['click id', { context: { clickIds: { gclid: 'Cj0' } } }, 2],
    ['UTM and click id (one signal)', { context: { campaign: { utm_source: 'x' }, clickIds: { fbc: 'c' } } }, 2],
    ['fbp only (a browser id, not a click id)', { context: { clickIds: { fbp: 'p' } } }, 0],
    ['locale', { context: { locale: 'en-US' } }, 1],
    ['timezone', { context: { timezone: 'Europe/Berlin' } }, 1],
    ['locale and timezone (one signal)', { context: { locale: 'en-US', timezone: 'Europe/Berlin' } }, 1],
  ])('%s → %d', (_label, input, points) => {
    expect(scoreContextRichness(input)).toBe(points)
  })

  const rich = {
    userAgent: CHROME,
    context: {
      page: { url: 'https://shop.example/', referrer: 'https://google.com/' },
      campaign: { utm_source: 'newsletter' },
      locale: 'en-US',
    },
  }

  it('reaches 15 with everything over IPv6', () => {
    expect(scoreContextRichness({ ...rich, clientIp: '2001:4860:4860::8888' })).toBe(15)
  })

  it('tops out at 14 over IPv4', () => {
    expect(scoreContextRichness({ ...rich, clientIp: '8.8.8.8' })).toBe(14)
  })
})
