/**
 * Replays a recording as the market: each question is answered with what the recording holds
 * for the same question at or before the current time (the latest such answer). A client that
 * asks the same questions at the same simulated times as the recorded one gets identical
 * answers; questions the recording never saw get "unknown" answers (undefined, [], or a no-data
 * error for bars and scans).
 *
 * @packageDocumentation
 */

import { TradingCalendar } from "./calendar.js";
import { SimClock, type Clock } from "./clock.js";
import {
  MarketDataError,
  type Bar,
  type Contract,
  type ContractQuery,
  type ExpirationEvent,
  type HistoricalBarsRequest,
  type MarketSource,
  type OptionChain,
  type OptionComputation,
  type OptionParameters,
  type Quote,
  type ScanFilter,
  type ScanRow,
  type Settlement,
  type StockContract,
  type Unsubscribe,
} from "./market-source.js";
import { MarketListeners } from "./notify.js";
import { parseRecording, stableStringify, type RecordedError, type Recording, type RecordingHeader } from "./recording.js";

/** Values of one key over time, in recording order (times non-decreasing). */
class Timeline<T> {
  readonly #times: number[] = [];
  readonly #values: T[] = [];

  add(time: number, value: T): void {
    this.#times.push(time);
    this.#values.push(value);
  }

  /** The last value recorded at or before `time`; undefined when there is none. */
  at(time: number): { value: T } | undefined {
    let lo = 0;
    let hi = this.#times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#times[mid] ?? Infinity) <= time) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return undefined;
    return { value: this.#values[lo - 1] as T };
  }
}

class Timelines<T> {
  readonly #byKey = new Map<string | number, Timeline<T>>();

  add(key: string | number, time: number, value: T): void {
    let line = this.#byKey.get(key);
    if (line === undefined) {
      line = new Timeline<T>();
      this.#byKey.set(key, line);
    }
    line.add(time, value);
  }

  at(key: string | number, time: number): { value: T } | undefined {
    return this.#byKey.get(key)?.at(time);
  }
}

type Outcome<T> = { readonly ok: T } | { readonly error: RecordedError };

/** Options of a {@link ReplayMarket}. */
export interface ReplayOptions {
  /** Clock for `sync()`; a manual clock at the recording's start by default. */
  readonly clock?: Clock;
  /** Calendar; the default NYSE calendar. */
  readonly calendar?: TradingCalendar;
}

/** A market that answers from a recording. */
export class ReplayMarket implements MarketSource {
  readonly calendar: TradingCalendar;
  readonly clock: Clock;
  /** The recording's header. */
  readonly header: RecordingHeader;
  readonly #stocks: readonly StockContract[];
  readonly #contracts = new Map<number, Contract>();
  readonly #quotes = new Timelines<Quote | null>();
  readonly #greeks = new Timelines<OptionComputation | null>();
  readonly #finds = new Timelines<readonly number[]>();
  readonly #parameters = new Timelines<OptionParameters | null>();
  readonly #chains = new Timelines<OptionChain | null>();
  readonly #bars = new Timelines<Outcome<readonly Bar[]>>();
  readonly #scans = new Timelines<Outcome<readonly ScanRow[]>>();
  readonly #settlements = new Timelines<Settlement | null>();
  readonly #expirations: { readonly t: number; readonly event: ExpirationEvent }[] = [];
  /** The recorded market's version after each advance. */
  readonly #versions = new Timeline<number>();
  #now: number;
  #version = 0;
  readonly #listeners = new MarketListeners((conId) => this.quote(conId));

  constructor(recording: Recording, options: ReplayOptions = {}) {
    this.header = recording.header;
    this.#stocks = recording.header.stocks;
    for (const stock of this.#stocks) this.#contracts.set(stock.conId, stock);
    this.#now = recording.header.start;
    this.clock = options.clock ?? SimClock.manual(recording.header.start);
    this.calendar = options.calendar ?? new TradingCalendar();
    for (const event of recording.events) {
      const t = event.t;
      switch (event.type) {
        case "contract":
          this.#contracts.set(event.contract.conId, event.contract);
          break;
        case "find":
          this.#finds.add(stableStringify(event.query), t, event.conIds);
          break;
        case "quote":
          this.#quotes.add(event.conId, t, event.quote);
          break;
        case "greeks":
          this.#greeks.add(event.conId, t, event.computation);
          break;
        case "optionParameters":
          this.#parameters.add(event.symbol, t, event.value);
          break;
        case "chain":
          this.#chains.add(event.symbol, t, event.value);
          break;
        case "bars":
          this.#bars.add(barsKey(event.conId, event.request), t, event.error === undefined ? { ok: event.bars ?? [] } : { error: event.error });
          break;
        case "scan":
          this.#scans.add(stableStringify(event.filter), t, event.error === undefined ? { ok: event.rows ?? [] } : { error: event.error });
          break;
        case "settlement":
          this.#settlements.add(event.conId, t, event.value);
          break;
        case "expiration":
          this.#expirations.push({ t, event: event.event });
          break;
        case "advance":
          this.#versions.add(t, event.version);
          break;
      }
    }
  }

  /** Parses recording text (JSON Lines) and replays it. */
  static fromText(text: string, options: ReplayOptions = {}): ReplayMarket {
    return new ReplayMarket(parseRecording(text), options);
  }

  get version(): number {
    return this.#version;
  }

  now(): number {
    return this.#now;
  }

  stateTime(): number {
    return Math.floor(this.calendar.stateTime(this.#now) / 1000) * 1000;
  }

  advanceTo(time: number): void {
    if (!(time > this.#now)) return;
    const before = this.#now;
    this.#now = time;
    // The version (and with it every notification) follows the recorded market's.
    const version = this.#versions.at(time)?.value ?? this.#version;
    if (version <= this.#version) return;
    this.#version = version;
    this.#listeners.publish(this.#version, this.#expirations.filter((e) => e.t > before && e.t <= time).map((e) => e.event));
  }

  sync(): void {
    this.advanceTo(this.clock.now());
  }

  stocks(): readonly StockContract[] {
    return this.#stocks;
  }

  stock(symbol: string): StockContract | undefined {
    const upper = symbol.toUpperCase();
    return this.#stocks.find((s) => s.symbol === upper);
  }

  contractByConId(conId: number): Contract | undefined {
    return this.#contracts.get(conId);
  }

  findContracts(query: ContractQuery): Contract[] {
    const conIds = this.#finds.at(stableStringify(query), this.#now)?.value ?? [];
    return conIds.flatMap((id) => {
      const contract = this.#contracts.get(id);
      return contract === undefined ? [] : [contract];
    });
  }

  optionParameters(symbol: string): OptionParameters | undefined {
    return this.#parameters.at(symbol, this.#now)?.value ?? undefined;
  }

  optionChain(symbol: string): OptionChain | undefined {
    return this.#chains.at(symbol, this.#now)?.value ?? undefined;
  }

  quote(conId: number): Quote | undefined {
    return this.#quotes.at(conId, this.#now)?.value ?? undefined;
  }

  optionComputation(conId: number): OptionComputation | undefined {
    return this.#greeks.at(conId, this.#now)?.value ?? undefined;
  }

  historicalBars(conId: number, request: HistoricalBarsRequest): Bar[] {
    return [...unwrap(this.#bars.at(barsKey(conId, request), this.#now)?.value)];
  }

  scan(filter: ScanFilter): ScanRow[] {
    return [...unwrap(this.#scans.at(stableStringify(filter), this.#now)?.value)];
  }

  settlement(conId: number): Settlement | undefined {
    return this.#settlements.at(conId, this.#now)?.value ?? undefined;
  }

  subscribe(conId: number, listener: (quote: Quote) => void): Unsubscribe {
    return this.#listeners.subscribe(conId, listener);
  }

  onAdvance(listener: (version: number) => void): Unsubscribe {
    return this.#listeners.onAdvance(listener);
  }

  onExpiration(listener: (event: ExpirationEvent) => void): Unsubscribe {
    return this.#listeners.onExpiration(listener);
  }
}

function barsKey(conId: number, request: unknown): string {
  return stableStringify({ conId, request });
}

function unwrap<T>(outcome: Outcome<T> | undefined): T {
  if (outcome === undefined) throw new MarketDataError("no-data", "HMDS query returned no data");
  if ("error" in outcome) throw new MarketDataError(outcome.error.reason, outcome.error.message);
  return outcome.ok;
}
