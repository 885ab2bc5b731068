/** Facts about a request the collector derives itself, never from the body. */
export interface RequestFacts {
  receivedAt: Date
  clientIp: string | undefined
  userAgent: string | undefined
}
