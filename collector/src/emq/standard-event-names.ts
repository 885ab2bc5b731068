/** The standard event names (collector/docs/emq.md): the names ad platforms know, which EMQ expects fields of. */
export const STANDARD_EVENT_NAMES = [
  'PageView', 'ViewContent', 'Search', 'AddToCart', 'AddToWishlist', 'InitiateCheckout', 'AddPaymentInfo',
  'Purchase', 'Lead', 'CompleteRegistration', 'SignUp', 'Subscribe', 'StartTrial', 'Contact', 'Login', 'Logout',
] as const
