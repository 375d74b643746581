/**
 * Test-only: a {@link SimControl} that records what is done to it, with a settable clock.
 *
 * @packageDocumentation
 */

import type { Farm, SimControl, SimStats } from "../control.js";

/** A stats object with everything at zero, for fakes. */
export function emptyStats(simTimeMs: number): SimStats {
  return {
    simTimeMs,
    connections: { current: 0, total: 0, refused: 0, clientIds: [] },
    messages: { receivedTotal: 0, receivedByType: {}, peakPerSecond: 0, sentTotal: 0 },
    pacing: { messageRateViolations: 0, historicalViolations: 0, disconnects: 0 },
    marketDataLines: { inUse: 0, peak: 0, limit: 100, rejected: 0 },
    orders: { byState: {}, whatIf: 0, executions: 0 },
    activeFaults: [],
  };
}

/** Records every call as a short line, e.g. `notice 1100`, `farm historical false`. */
export class RecordingControl implements SimControl {
  readonly calls: string[] = [];
  nowMs: number;
  statsValue: SimStats | undefined;
  resets = 0;

  constructor(nowMs: number) {
    this.nowMs = nowMs;
  }

  /** Returns the calls recorded since the last take, and forgets them. */
  take(): string[] {
    return this.calls.splice(0);
  }

  broadcastNotice(code: number, _message: string): void {
    this.calls.push(`notice ${code}`);
  }
  setFarmStatus(farm: Farm, ok: boolean): void {
    this.calls.push(`farm ${farm} ${ok}`);
  }
  setConnectivity(state: { readonly connected: false } | { readonly connected: true; readonly dataLost: boolean }): void {
    this.calls.push(state.connected ? `connectivity up dataLost=${state.dataLost}` : "connectivity down");
  }
  disconnectAll(_reason: string): void {
    this.calls.push("disconnectAll");
  }
  setAcceptingConnections(accept: boolean): void {
    this.calls.push(`accepting ${accept}`);
  }
  rejectNextOrders(reason: string, count: number): void {
    this.calls.push(`rejectNextOrders ${JSON.stringify(reason)} ${count}`);
  }
  setResponseDelayMs(ms: number): void {
    this.calls.push(`delay ${ms}`);
  }
  setResponseDropRate(fraction: number): void {
    this.calls.push(`drop ${fraction}`);
  }
  advanceClockTo(epochMs: number): void {
    this.calls.push(`advanceClockTo ${new Date(epochMs).toISOString()}`);
    this.nowMs = Math.max(this.nowMs, epochMs);
  }
  now(): number {
    return this.nowMs;
  }
  reset(): void {
    this.resets += 1;
    this.calls.push("reset");
  }
  stats(): SimStats {
    return this.statsValue ?? emptyStats(this.nowMs);
  }
}
