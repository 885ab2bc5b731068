import { describe, expect, test } from 'vitest'
import { trackName } from './event-name'

describe('trackName', () => {
  test.each([
    ['Order Completed', 'Purchase'],
    ['Product Viewed', 'ViewContent'],
    ['Product Added', 'AddToCart'],
    ['Checkout Started', 'InitiateCheckout'],
    ['Payment Info Entered', 'AddPaymentInfo'],
    ['Products Searched', 'Search'],
    ['Signed Up', 'CompleteRegistration'],
    ['Product Added to Wishlist', 'AddToWishlist'],
    ['Signed In', 'Login'],
    ['Signed Out', 'Logout'],
    ['Trial Started', 'StartTrial'],
  ])('the spec event %s is the standard %s', (segment, stratum) => {
    expect(trackName(segment)).toEqual({ name: stratum, standard: true })
  })

  test('spec names match whatever their case and separators', () => {
    for (const spelling of ['order completed', 'order_completed', 'orderCompleted', 'ORDER-COMPLETED']) {
      expect(trackName(spelling).name).toBe('Purchase')
    }
  })

  test('any other name becomes PascalCase', () => {
    expect(trackName('Cart Viewed')).toEqual({ name: 'CartViewed', standard: false })
    expect(trackName('video_played').name).toBe('VideoPlayed')
    expect(trackName('newsletterSubscribed').name).toBe('NewsletterSubscribed')
    expect(trackName('Café visité').name).toBe('CafeVisite')
    expect(trackName('404 seen').name).toBe('Event404Seen')
    expect(trackName('x'.repeat(300)).name).toHaveLength(128)
  })

  test('a name with no Latin letter or digit keeps apart from other such names', () => {
    const ordered = trackName('注文完了').name
    expect(ordered).toMatch(/^Custom[0-9a-f]{8}$/)
    expect(trackName('カート').name).not.toBe(ordered)
    expect(trackName('注文完了').name).toBe(ordered)
  })

  test('every name it makes passes the event schema', () => {
    for (const name of ['Cart Viewed', '注文完了', '404', '  ', 'a', 'ÅÄÖ']) {
      expect(trackName(name).name).toMatch(/^[A-Z][A-Za-z0-9]*$/)
    }
  })
})
