/**
 * Records what a client saw of a market: wraps any {@link MarketSource}, answers every call
 * from it and writes the answers as recording events (see recording.ts). Quotes and greeks are
 * written only when they changed since the last time they were written for that contract.
 *
 * @packageDocumentation
 */

import type { TradingCalendar } from "./calendar.js";
import type { Clock } from "./clock.js";
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
import { formatEvent, formatHeader, RECORDING_FORMAT, RECORDING_VERSION, stableStringify, type RecordingEvent } from "./recording.js";

/** Options of a {@link RecordingMarket}. */
export interface RecordingOptions {
  /** Receives the recording one line at a time (each ending in "\n"), header first. */
  readonly write: (line: string) => void;
  /** Seed to put in the header (the recorded market's), or null. */
  readonly seed: number | null;
  /** Free-form provenance for the header. */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** A market that records every answer it gives. */
export class RecordingMarket implements MarketSource {
  readonly #inner: MarketSource;
  readonly #write: (line: string) => void;
  readonly #contracts = new Set<number>();
  readonly #lastQuote = new Map<number, string>();
  readonly #lastGreeks = new Map<number, string>();

  constructor(inner: MarketSource, options: RecordingOptions) {
    this.#inner = inner;
    this.#write = options.write;
    this.#write(formatHeader({
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      seed: options.seed,
      start: inner.now(),
      stocks: inner.stocks(),
      ...(options.meta === undefined ? {} : { meta: options.meta }),
    }));
    // Expirations are part of what a client sees even if it never asks.
    inner.onExpiration((event) => {
      this.#emit({ t: inner.now(), type: "expiration", event });
    });
  }

  get calendar(): TradingCalendar {
    return this.#inner.calendar;
  }

  get clock(): Clock {
    return this.#inner.clock;
  }

  get version(): number {
    return this.#inner.version;
  }

  now(): number {
    return this.#inner.now();
  }

  stateTime(): number {
    return this.#inner.stateTime();
  }

  advanceTo(time: number): void {
    const before = this.#inner.now();
    this.#inner.advanceTo(time);
    if (this.#inner.now() !== before) this.#emit({ t: this.#inner.now(), type: "advance", version: this.#inner.version });
  }

  sync(): void {
    this.advanceTo(this.#inner.clock.now());
  }

  stocks(): readonly StockContract[] {
    return this.#inner.stocks();
  }

  stock(symbol: string): StockContract | undefined {
    return this.#inner.stock(symbol);
  }

  contractByConId(conId: number): Contract | undefined {
    const contract = this.#inner.contractByConId(conId);
    if (contract !== undefined) this.#noteContract(contract);
    return contract;
  }

  findContracts(query: ContractQuery): Contract[] {
    const found = this.#inner.findContracts(query);
    for (const contract of found) this.#noteContract(contract);
    this.#emit({ t: this.now(), type: "find", query, conIds: found.map((c) => c.conId) });
    return found;
  }

  optionParameters(symbol: string): OptionParameters | undefined {
    const value = this.#inner.optionParameters(symbol);
    this.#emit({ t: this.now(), type: "optionParameters", symbol, value: value ?? null });
    return value;
  }

  optionChain(symbol: string): OptionChain | undefined {
    const value = this.#inner.optionChain(symbol);
    this.#emit({ t: this.now(), type: "chain", symbol, value: value ?? null });
    return value;
  }

  quote(conId: number): Quote | undefined {
    const quote = this.#inner.quote(conId);
    this.#noteQuote(conId, quote);
    return quote;
  }

  optionComputation(conId: number): OptionComputation | undefined {
    const computation = this.#inner.optionComputation(conId);
    const text = stableStringify(computation ?? null);
    if (this.#lastGreeks.get(conId) !== text) {
      this.#lastGreeks.set(conId, text);
      this.#emit({ t: this.now(), type: "greeks", conId, computation: computation ?? null });
    }
    return computation;
  }

  historicalBars(conId: number, request: HistoricalBarsRequest): Bar[] {
    try {
      const bars = this.#inner.historicalBars(conId, request);
      this.#emit({ t: this.now(), type: "bars", conId, request, bars });
      return bars;
    } catch (error: unknown) {
      if (error instanceof MarketDataError) {
        this.#emit({ t: this.now(), type: "bars", conId, request, error: { reason: error.reason, message: error.message } });
      }
      throw error;
    }
  }

  scan(filter: ScanFilter): ScanRow[] {
    try {
      const rows = this.#inner.scan(filter);
      this.#emit({ t: this.now(), type: "scan", filter, rows });
      return rows;
    } catch (error: unknown) {
      if (error instanceof MarketDataError) {
        this.#emit({ t: this.now(), type: "scan", filter, error: { reason: error.reason, message: error.message } });
      }
      throw error;
    }
  }

  settlement(conId: number): Settlement | undefined {
    const value = this.#inner.settlement(conId);
    this.#emit({ t: this.now(), type: "settlement", conId, value: value ?? null });
    return value;
  }

  subscribe(conId: number, listener: (quote: Quote) => void): Unsubscribe {
    // Notifications are relative to the quote at subscription time, so replay needs it too.
    this.#noteQuote(conId, this.#inner.quote(conId));
    return this.#inner.subscribe(conId, (quote) => {
      this.#noteQuote(conId, quote);
      listener(quote);
    });
  }

  onAdvance(listener: (version: number) => void): Unsubscribe {
    return this.#inner.onAdvance(listener);
  }

  onExpiration(listener: (event: ExpirationEvent) => void): Unsubscribe {
    return this.#inner.onExpiration(listener);
  }

  #noteContract(contract: Contract): void {
    if (this.#contracts.has(contract.conId)) return;
    this.#contracts.add(contract.conId);
    this.#emit({ t: this.now(), type: "contract", contract });
  }

  #noteQuote(conId: number, quote: Quote | undefined): void {
    const text = stableStringify(quote ?? null);
    if (this.#lastQuote.get(conId) === text) return;
    this.#lastQuote.set(conId, text);
    this.#emit({ t: this.now(), type: "quote", conId, quote: quote ?? null });
  }

  #emit(event: RecordingEvent): void {
    this.#write(formatEvent(event));
  }
}
