/** Placeholder: the strategies view is being written. */
export function StrategiesView() {
  return <section aria-labelledby="strategies-title"><h1 id="strategies-title">strategies</h1></section>;
}
