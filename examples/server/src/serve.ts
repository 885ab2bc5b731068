import { createServer } from 'node:http'
import { orderSecretFromEnv } from './order-event-id'
import { paymentWebhook } from './payment-webhook'
import { stratumApiFromEnv } from './stratum-api'

// `pnpm --filter server serve`: the shop's backend, receiving the payment provider's webhooks.
try {
  const secret = process.env.WEBHOOK_SECRET
  if (!secret) throw new Error('Set WEBHOOK_SECRET: the secret your payment provider signs its webhooks with.')
  const api = stratumApiFromEnv(process.env)
  const orderSecret = orderSecretFromEnv(process.env)
  const port = Number(process.env.WEBHOOK_PORT ?? 4242)
  createServer(paymentWebhook({ api, secret, orderSecret })).listen(port, () => {
    console.log(`Payment webhook listening: POST http://localhost:${port}/webhooks/payment`)
  })
} catch (error) {
  console.error((error as Error).message)
  process.exit(1)
}
