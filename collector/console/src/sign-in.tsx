import { useState } from 'preact/hooks'

/**
 * The sign-in form: one field labelled "Token" and a "Sign in" button.
 * `message` says why the person is here again (an expired token, a storage
 * outage).
 *
 * @example
 * <SignIn onSubmit={signIn} message="Your token has expired." />
 */
export function SignIn({ onSubmit, message }: { onSubmit: (token: string) => void; message?: string }) {
  const [token, setToken] = useState('')
  return (
    <section class="sign-in" aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">Sign in to Stratum</h1>
      <p>
        Paste an API token (a JWT from <code>stratum token</code> or your identity provider). It is kept in this tab only
        (<code>sessionStorage</code>) and sent in the <code>Authorization</code> header.
      </p>
      {message && (
        <p class="error" role="alert">
          {message}
        </p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault()
          if (token.trim()) onSubmit(token)
        }}
      >
        <label for="token">Token</label>
        <textarea
          id="token"
          name="token"
          rows={4}
          required
          autocomplete="off"
          spellcheck={false}
          value={token}
          onInput={(event) => setToken(event.currentTarget.value)}
        />
        <button type="submit">
          Sign in
        </button>
      </form>
    </section>
  )
}
