/**
 * `BroadcastChannel`s of one name in several tabs: a message posted by one is
 * delivered, asynchronously, to every other one, never back to itself.
 *
 * @example
 * const [tabA, tabB] = fakeChannels(2)
 * tabB.onmessage = (message) => console.log(message.data)
 * tabA.postMessage(['e1'])
 */
export function fakeChannels(count: number): Pick<BroadcastChannel, 'postMessage' | 'onmessage'>[] {
  const channels = Array.from({ length: count }, () => ({
    onmessage: null as BroadcastChannel['onmessage'],
    postMessage(data: unknown) {
      for (const other of channels) {
        if (other !== this) queueMicrotask(() => other.onmessage?.call(other as never, { data } as MessageEvent))
      }
    },
  }))
  return channels
}
