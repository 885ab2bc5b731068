/*
 * Stratum pixel: the inline snippet (readable source; paste snippet.min.js).
 *
 * Defines a stub `stratum(...)` that records each call with the page it was
 * made on (URL, title, referrer, time), and loads the pixel asynchronously.
 * The pixel replaces the stub and replays the calls in order. ES5, and every
 * statement that could fail is guarded: if the pixel is blocked, the stub
 * keeps quietly recording and the page never sees an error.
 *
 * Replace the script URL, the source key and the endpoint.
 */
// biome-ignore lint/complexity/useArrowFunction: ES5 on purpose, so that no browser fails to parse the stub.
;(function (w, d, src) {
  if (w.stratum) return
  var queue = []
  var script
  var stub = function () {
    try {
      queue.push([
        // biome-ignore lint/complexity/noArguments: ES5 has no rest parameters.
        Array.prototype.slice.call(arguments),
        { url: location.href, title: d.title, referrer: d.referrer, ts: Date.now() },
      ])
      // biome-ignore lint/correctness/noUnusedVariables: ES5 requires the catch binding.
    } catch (e) {}
  }
  stub.q = queue
  w.stratum = stub
  try {
    script = d.createElement('script')
    script.async = true
    script.src = src
    d.head.appendChild(script)
    // biome-ignore lint/correctness/noUnusedVariables: ES5 requires the catch binding.
  } catch (e) {}
})(window, document, 'https://collect.shop.example/stratum.min.js')
stratum('init', { sourceKey: 'sk_YOUR_SOURCE_KEY', endpoint: 'https://collect.shop.example' })
