/** Counters behind `SimControl.stats()`; reset with the simulator. */
export class StatsCounters {
  connectionsTotal = 0;
  refused = 0;
  receivedTotal = 0;
  readonly receivedByType = new Map<string, number>();
  sentTotal = 0;
  peakPerSecond = 0;
  messageRateViolations = 0;
  historicalViolations = 0;
  rateDisconnects = 0;
  linesRejected = 0;
  whatIf = 0;

  received(type: string): void {
    this.receivedTotal++;
    this.receivedByType.set(type, (this.receivedByType.get(type) ?? 0) + 1);
  }

  reset(): void {
    this.connectionsTotal = 0;
    this.refused = 0;
    this.receivedTotal = 0;
    this.receivedByType.clear();
    this.sentTotal = 0;
    this.peakPerSecond = 0;
    this.messageRateViolations = 0;
    this.historicalViolations = 0;
    this.rateDisconnects = 0;
    this.linesRejected = 0;
    this.whatIf = 0;
  }
}
