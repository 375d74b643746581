/**
 * Id generators. All ids come from counters owned by one engine instance, so a run is
 * reproducible and two engines never share state.
 *
 * @packageDocumentation
 */

/** A monotonically increasing integer sequence. */
export class Counter {
  private nextValue: number;

  constructor(first: number, private readonly step = 1) {
    this.nextValue = first;
  }

  /** Returns the next value and advances. */
  take(): number {
    const value = this.nextValue;
    this.nextValue += this.step;
    return value;
  }
}

/**
 * Execution ids in TWS's shape, `<8 hex>.<8 hex>.<2 digits>.01` (e.g. `0000e0d5.0000001a.01.01`).
 * One fill of an order gets one sequence number; its executions differ in the third part: `01`
 * for the order's own execution (the combo-level one for BAG), `02`, `03`, … for the legs, so a
 * combo fill's executions are recognisably one group. The last part is TWS's correction counter.
 */
export class ExecIdFactory {
  private readonly sequence = new Counter(1);

  /** @param prefix 8 hex digits identifying the simulated account's execution stream. */
  constructor(private readonly prefix: string) {}

  /** Ids for one fill: `count` ids sharing a sequence number (first = order/combo level). */
  nextGroup(count: number): string[] {
    const seq = this.sequence.take().toString(16).padStart(8, "0");
    const ids: string[] = [];
    for (let i = 1; i <= count; i++) ids.push(`${this.prefix}.${seq}.${String(i).padStart(2, "0")}.01`);
    return ids;
  }
}
