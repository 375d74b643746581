/**
 * Thrown by the scan when its deadline passes: how far it got, so the caller can say so.
 */
export class ScanDeadlineError extends Error {
  override readonly name = "ScanDeadlineError";
  /** Pairs evaluated before stopping (0 while still filtering rows). */
  readonly pairsEvaluated: number;
  /** Pairs the whole scan would have evaluated (NaN when it stopped during the row pass). */
  readonly pairsTotal: number;
  /** Rows filtered before stopping. */
  readonly rowsDone: number;
  /** Rows in the chain. */
  readonly rowsTotal: number;

  constructor(pairsEvaluated: number, pairsTotal: number, rowsDone: number, rowsTotal: number) {
    super(
      Number.isNaN(pairsTotal)
        ? `scan stopped at its deadline after ${rowsDone} of ${rowsTotal} rows (before pairing)`
        : `scan stopped at its deadline after ${pairsEvaluated} of ${pairsTotal} pairs`,
    );
    this.pairsEvaluated = pairsEvaluated;
    this.pairsTotal = pairsTotal;
    this.rowsDone = rowsDone;
    this.rowsTotal = rowsTotal;
  }
}
