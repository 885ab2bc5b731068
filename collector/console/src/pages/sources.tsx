/** Placeholder until the page lands. */
export default function Page() {
  return <h1>sources</h1>
}
