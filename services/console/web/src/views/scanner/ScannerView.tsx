/** Placeholder: the scanner view is being written. */
export function ScannerView() {
  return <section aria-labelledby="scanner-title"><h1 id="scanner-title">scanner</h1></section>;
}
