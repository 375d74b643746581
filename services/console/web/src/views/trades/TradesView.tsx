/** Placeholder: the trades view is being written. */
export function TradesView() {
  return <section aria-labelledby="trades-title"><h1 id="trades-title">trades</h1></section>;
}
