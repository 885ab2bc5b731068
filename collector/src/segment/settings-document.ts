/**
 * The settings document analytics.js (`@segment/analytics-next`) fetches at
 * load from `<cdn>/v1/projects/<writeKey>/settings`: one destination,
 * `Segment.io`, pointed at this collector (`apiHost` is host and `/v1`, as
 * Segment's own `api.segment.io/v1`), no device-mode destinations, no
 * remote plugins or middleware to download, and no metrics sent anywhere.
 * Bundling metadata is off: the collector would only drop it.
 *
 * @example
 * settingsDocument('sk_…', { host: 'collect.shop.example', protocol: 'https' })
 * // { integrations: { 'Segment.io': { apiKey: 'sk_…', apiHost: 'collect.shop.example/v1', protocol: 'https', … } }, … }
 */
export function settingsDocument(writeKey: string, origin: { host: string; protocol: 'http' | 'https' }) {
  const apiHost = `${origin.host}/v1`
  return {
    integrations: {
      'Segment.io': {
        apiKey: writeKey,
        apiHost,
        protocol: origin.protocol,
        addBundledMetadata: false,
        unbundledIntegrations: [],
        maybeBundledConfigIds: {},
      },
    },
    analyticsNextEnabled: true,
    middlewareSettings: {},
    enabledMiddleware: {},
    metrics: { sampleRate: 0, host: apiHost },
    legacyVideoPluginsEnabled: false,
    remotePlugins: [],
  }
}
