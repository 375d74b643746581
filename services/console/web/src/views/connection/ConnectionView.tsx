/** Placeholder: the connection view is being written. */
export function ConnectionView() {
  return <section aria-labelledby="connection-title"><h1 id="connection-title">connection</h1></section>;
}
