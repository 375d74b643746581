/** Placeholder: the activity view is being written. */
export function ActivityView() {
  return <section aria-labelledby="activity-title"><h1 id="activity-title">activity</h1></section>;
}
