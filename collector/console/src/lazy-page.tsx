import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { ErrorMessage, Loading } from './states'

/** A page module: its component is the default export. */
export type PageModule<P> = () => Promise<{ default: ComponentType<P> }>

const loaded = new Map<PageModule<never>, ComponentType<never>>()

/**
 * Renders a page loaded with `import()` on first use, so its code is not in
 * the initial download (collector/docs/console.md, "Size budget").
 *
 * @example
 * <LazyPage load={() => import('./pages/live-events')} props={{}} />
 */
export function LazyPage<P extends object>({ load, props }: { load: PageModule<P>; props: P }) {
  const [Page, setPage] = useState<ComponentType<P> | undefined>(() => loaded.get(load as PageModule<never>) as ComponentType<P>)
  const [error, setError] = useState<Error>()
  useEffect(() => {
    if (Page) return
    load().then(
      (module) => {
        loaded.set(load as PageModule<never>, module.default as ComponentType<never>)
        setPage(() => module.default)
      },
      (e: Error) => setError(e),
    )
  }, [load, Page])
  if (error) return <ErrorMessage error={error} retry={() => window.location.reload()} />
  return Page ? <Page {...props} /> : <Loading what="the page" />
}
