/**
 * The script-tag snippet for a browser source, with this collector's origin
 * and the source's key filled in (pixel/README.md, "Install with a script tag").
 *
 * @example
 * scriptTag('https://collect.shop.example', 'sk_live_…')
 */
export function scriptTag(origin: string, sourceKey: string): string {
  return `<script async src="${origin}/stratum.min.js" data-source-key="${sourceKey}"></script>`
}

/**
 * The npm usage for a source (pixel/README.md, "npm").
 *
 * @example
 * npmUsage('https://collect.shop.example', 'sk_live_…')
 */
export function npmUsage(origin: string, sourceKey: string): string {
  return `import { createStratum } from '@stratum/pixel'

const stratum = createStratum({ sourceKey: '${sourceKey}', endpoint: '${origin}' })
stratum.identify({ email: 'jane@shop.example' })
stratum.track('Purchase', { value: 129.5, currency: 'EUR', order_id: 'A-1001' })`
}

/**
 * Origins typed one per line (or separated by commas or spaces), trimmed.
 *
 * @example
 * parseOrigins('https://a.example\nhttps://b.example') // ['https://a.example', 'https://b.example']
 */
export function parseOrigins(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((o) => o.trim())
    .filter(Boolean)
}
