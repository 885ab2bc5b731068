/** A paid plan, each with a 14-day trial. */
export interface Plan {
  id: string
  name: string
  /** Euros per month. */
  monthlyPrice: number
  pitch: string
}

export const CURRENCY = 'EUR'

export const PLANS: readonly Plan[] = [
  { id: 'pro', name: 'Pro', monthlyPrice: 9, pitch: 'Unlimited notes, offline sync, full-text search.' },
  { id: 'team', name: 'Team', monthlyPrice: 29, pitch: 'Everything in Pro, shared notebooks and admin controls.' },
]

/**
 * The plan named in `?plan=`, Pro when none or an unknown one is named.
 *
 * @example
 * planOf(new URL('https://notes.example/signup?plan=team')).name // 'Team'
 */
export function planOf(url: URL): Plan {
  return PLANS.find((plan) => plan.id === url.searchParams.get('plan')) ?? PLANS[0]!
}
