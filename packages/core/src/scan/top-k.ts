/**
 * Bounded top-K selection over typed arrays: a binary heap of slot ids whose root is the worst
 * kept entry, so a new pair costs one comparison unless it beats the current K-th best. Entries
 * live in reusable column arrays (no object per pair); only the final winners become objects.
 *
 * Ranking order (a total order, so results never depend on evaluation order): higher score,
 * then earlier expiry, lower short strike, lower long strike, lower kind code, lower short row,
 * lower long row.
 *
 * @packageDocumentation
 */

/** Whether entry a ranks strictly before entry b under the documented order. */
export function ranksBefore(
  scoreA: number, expiryA: number, shortKA: number, longKA: number, kindA: number, shortRowA: number, longRowA: number,
  scoreB: number, expiryB: number, shortKB: number, longKB: number, kindB: number, shortRowB: number, longRowB: number,
): boolean {
  if (scoreA !== scoreB) return scoreA > scoreB;
  if (expiryA !== expiryB) return expiryA < expiryB;
  if (shortKA !== shortKB) return shortKA < shortKB;
  if (longKA !== longKB) return longKA < longKB;
  if (kindA !== kindB) return kindA < kindB;
  if (shortRowA !== shortRowB) return shortRowA < shortRowB;
  return longRowA < longRowB;
}

/** A top-K heap whose storage grows on demand (doubling, up to K) and is reused across scans. */
export class TopK {
  /** Column storage per slot. */
  score: Float64Array = new Float64Array(0);
  expiry: Float64Array = new Float64Array(0);
  shortK: Float64Array = new Float64Array(0);
  longK: Float64Array = new Float64Array(0);
  kind: Int32Array = new Int32Array(0);
  shortRow: Int32Array = new Int32Array(0);
  longRow: Int32Array = new Int32Array(0);
  /** Payload kept for materialisation: limit, natural, mid, tick, POP, EV, liquidity. */
  limit: Float64Array = new Float64Array(0);
  natural: Float64Array = new Float64Array(0);
  mid: Float64Array = new Float64Array(0);
  tick: Float64Array = new Float64Array(0);
  pop: Float64Array = new Float64Array(0);
  ev: Float64Array = new Float64Array(0);
  liquidity: Float64Array = new Float64Array(0);
  /** heap[i] = slot id; heap[0] is the worst kept entry. */
  private heap: Int32Array = new Int32Array(0);
  private k = 1;
  /** Number of kept entries. */
  size = 0;

  /** Empties the heap and sets K. */
  reset(k: number): void {
    this.k = k;
    this.size = 0;
  }

  private grow(): void {
    const cap = Math.min(this.k, Math.max(16, this.heap.length * 2));
    const f64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.score = f64(this.score);
    this.expiry = f64(this.expiry);
    this.shortK = f64(this.shortK);
    this.longK = f64(this.longK);
    this.kind = i32(this.kind);
    this.shortRow = i32(this.shortRow);
    this.longRow = i32(this.longRow);
    this.limit = f64(this.limit);
    this.natural = f64(this.natural);
    this.mid = f64(this.mid);
    this.tick = f64(this.tick);
    this.pop = f64(this.pop);
    this.ev = f64(this.ev);
    this.liquidity = f64(this.liquidity);
    this.heap = i32(this.heap);
  }

  /** Whether slot a ranks before slot b. */
  private slotBefore(a: number, b: number): boolean {
    return ranksBefore(
      this.score[a] ?? NaN, this.expiry[a] ?? NaN, this.shortK[a] ?? NaN, this.longK[a] ?? NaN,
      this.kind[a] ?? 0, this.shortRow[a] ?? 0, this.longRow[a] ?? 0,
      this.score[b] ?? NaN, this.expiry[b] ?? NaN, this.shortK[b] ?? NaN, this.longK[b] ?? NaN,
      this.kind[b] ?? 0, this.shortRow[b] ?? 0, this.longRow[b] ?? 0,
    );
  }

  /**
   * The slot to write a new entry into, or −1 when the heap is full and the entry does not beat
   * the worst kept one. After writing every column of the slot, call {@link commit}.
   */
  offer(score: number, expiry: number, shortK: number, longK: number, kind: number, shortRow: number, longRow: number): number {
    if (this.size < this.k) {
      if (this.size === this.heap.length) this.grow();
      return this.size; // slots 0..size-1 are in use, so slot `size` is free
    }
    const root = this.heap[0] ?? 0;
    const better = ranksBefore(
      score, expiry, shortK, longK, kind, shortRow, longRow,
      this.score[root] ?? NaN, this.expiry[root] ?? NaN, this.shortK[root] ?? NaN, this.longK[root] ?? NaN,
      this.kind[root] ?? 0, this.shortRow[root] ?? 0, this.longRow[root] ?? 0,
    );
    return better ? root : -1;
  }

  /** Places the slot returned by {@link offer} (its columns written) into the heap. */
  commit(slot: number): void {
    const heap = this.heap;
    if (this.size < this.k) {
      // Sift up from the end: parents must rank after (be worse than) children.
      let i = this.size++;
      heap[i] = slot;
      while (i > 0) {
        const p = (i - 1) >> 1;
        const parent = heap[p] ?? 0;
        if (!this.slotBefore(parent, slot)) break;
        heap[i] = parent;
        i = p;
      }
      heap[i] = slot;
      return;
    }
    // Replaced the root: sift down.
    const n = this.size;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let worst = l;
      const r = l + 1;
      if (r < n && this.slotBefore(heap[l] ?? 0, heap[r] ?? 0)) worst = r;
      const child = heap[worst] ?? 0;
      if (!this.slotBefore(slot, child)) break;
      heap[i] = child;
      i = worst;
    }
    heap[i] = slot;
  }

  /** Kept slot ids, best first (allocates; called once per scan). */
  sortedSlots(): number[] {
    const slots = Array.from(this.heap.subarray(0, this.size));
    slots.sort((a, b) => (this.slotBefore(a, b) ? -1 : this.slotBefore(b, a) ? 1 : 0));
    return slots;
  }
}
