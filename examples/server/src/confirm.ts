import { parseArgs } from 'node:util'
import { confirmPurchase, type PaidOrder } from './confirm-purchase'
import { orderSecretFromEnv } from './order-event-id'
import { type Profile, type StratumApi, stratumApiFromEnv } from './stratum-api'

const USAGE = `Confirms a paid order to Stratum as a server-side Purchase, then shows the customer's profile.

  STRATUM_API=http://localhost:8787/api/v1/cdp STRATUM_TOKEN=<JWT> ORDER_EVENT_SECRET=<secret> pnpm --filter server confirm -- \\
    --order A-1001 --value 129.5 [--currency EUR] [--product sofa-1]... [--items 1] \\
    --email jane.doe@gmail.com --customer crm-1001 [--phone "+49 30 1234567"] [--first-name Jane] [--last-name Doe]`

async function main(argv: string[]) {
  if (argv.includes('--help') || argv.includes('-h')) return print(USAGE)
  const order = orderFrom(argv)
  const api = stratumApiFromEnv(process.env)
  const result = await confirmPurchase(api, order, orderSecretFromEnv(process.env))
  print(`Purchase ${order.orderId}: ${result.status}${result.emq === null ? '' : `, EMQ ${result.emq}`}`)
  for (const warning of result.warnings ?? []) print(`  warning: ${warning}`)
  const profile = await api.findProfile('external_id', order.customer.id)
  if (profile) await printProfile(api, profile)
}

/** The order described by the command line; throws the usage on a missing or bad flag. */
function orderFrom(argv: string[]): PaidOrder {
  // `pnpm confirm -- --order …` passes the `--` on: it is not an end-of-options marker here.
  const args = argv[0] === '--' ? argv.slice(1) : argv
  const { values } = parseCommandLine(args)
  const value = Number(values.value)
  const numItems = values.items === undefined ? values.product.length : Number(values.items)
  if (!values.order || !values.email || !values.customer || !(value >= 0) || !Number.isInteger(numItems)) {
    throw new Error(`--order, --value, --email and --customer are required; --value and --items are numbers.\n\n${USAGE}`)
  }
  return {
    orderId: values.order,
    value,
    currency: values.currency,
    contentIds: values.product,
    numItems,
    customer: {
      id: values.customer,
      email: values.email,
      phone: values.phone,
      firstName: values['first-name'],
      lastName: values['last-name'],
    },
  }
}

function parseCommandLine(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        order: { type: 'string' },
        value: { type: 'string' },
        currency: { type: 'string', default: 'EUR' },
        product: { type: 'string', multiple: true, default: [] },
        items: { type: 'string' },
        email: { type: 'string' },
        customer: { type: 'string' },
        phone: { type: 'string' },
        'first-name': { type: 'string' },
        'last-name': { type: 'string' },
      },
    })
  } catch (error) {
    throw new Error(`${(error as Error).message}\n\n${USAGE}`)
  }
}

async function printProfile(api: StratumApi, profile: Profile) {
  const sums = (revenue: Record<string, number>) => Object.entries(revenue).map(([currency, sum]) => `${sum} ${currency}`).join(', ') || '0'
  print(`
Profile ${profile.id} (${profile.lifecycle_stage})
  identifiers: ${profile.identifiers.map((id) => id.type).join(', ')}
  events: ${profile.events_count}, sessions: ${profile.sessions_count}, purchases: ${profile.purchases_count}, revenue: ${sums(profile.revenue)}
  reported by browsers only: purchases: ${profile.claimed_purchases_count}, revenue: ${sums(profile.claimed_revenue)}
  journey, oldest first:`)
  const journey = await api.journey(profile.id)
  for (const event of journey.reverse()) {
    const emq = `EMQ ${event.emq ?? '-'}`.padEnd(9)
    print(`    ${event.event_time}  ${event.event_name.padEnd(17)} ${emq} ${event.context.page?.url ?? ''}`)
  }
}

function print(line: string) {
  process.stdout.write(`${line}\n`)
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`confirm: ${error.message}\n`)
  process.exit(1)
})
