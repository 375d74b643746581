/**
 * GetQuotes (a held line's quote, else a snapshot) and StreamQuotes (reference-counted lines
 * shared by every stream of the same contract).
 *
 * @packageDocumentation
 */
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { ErrorCode} from "@spreadops/api";
import { ErrorDetailSchema, QuoteFlag, QuoteSchema, type ContractSpec, type ErrorDetail, type Quote } from "@spreadops/api";
import { resourceExhausted, toConnectError, type Clock, type Logger } from "@spreadops/runtime";
import { SecType as IbSecType, type Contract as IbContract, type ContractDetails as IbContractDetails } from "@stoqey/ib";
import type { ContractDirectory } from "./contract-directory.js";
import type { LineFailure, LineSubscription, MarketLines } from "./market-lines.js";
import type { QuoteState } from "./quote-state.js";
import { NO_LINE_CODE, type SnapshotFetcher, type SnapshotResult } from "./snapshot-fetcher.js";

/** Generic ticks of a streaming line: option volume and open interest for options; historical and implied vol for stocks. */
export function genericTicksFor(secType: string | undefined): string {
  return secType === "OPT" ? "100,101" : "104,106";
}

/** The line-budget key of a contract's streaming line. */
export function lineKeyOf(conId: number, genericTicks: string): string {
  return `${conId}|${genericTicks}`;
}

/** The contract to send for market data: by conId on its exchange (SMART for stocks and options). */
export function marketContractOf(details: IbContractDetails): IbContract {
  const c = details.contract;
  const contract: IbContract = { conId: c.conId ?? 0, exchange: c.exchange === undefined || c.exchange === "" ? "SMART" : c.exchange };
  if (c.symbol !== undefined) contract.symbol = c.symbol;
  if (c.secType !== undefined) contract.secType = c.secType;
  if (c.currency !== undefined) contract.currency = c.currency;
  return contract;
}

/** An IB error (or a thrown error) as a per-item ErrorDetail. */
export function errorDetailOf(error: unknown, ibCode?: number): ErrorDetail {
  const { error: mapped } = toConnectError(error);
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- ErrorCode numbers equal Connect's Code values (docs/contracts.md)
  const detail = create(ErrorDetailSchema, { code: mapped.code as number as ErrorCode, message: mapped.rawMessage });
  if (ibCode !== undefined && ibCode > 0) detail.ibCode = ibCode;
  return detail;
}

/** A line or snapshot failure as a Connect error. */
export function lineFailureError(failure: LineFailure, what: string): ConnectError {
  if (failure.code === 101 || failure.code === NO_LINE_CODE) return resourceExhausted(`${what}: no market-data line available (${failure.message})`);
  if (failure.code === 200) return new ConnectError(`contract ${what} not found`, Code.NotFound);
  if (failure.code === 354 || failure.code === 10089 || failure.code === 10168) {
    return new ConnectError(`${what}: market data not subscribed (IB ${failure.code})`, Code.PermissionDenied);
  }
  return new ConnectError(`${what}: IB error ${failure.code}: ${failure.message}`, Code.Unavailable);
}

/** Collaborators of {@link QuoteService}. */
export interface QuoteServiceDeps {
  readonly directory: ContractDirectory;
  readonly lines: MarketLines;
  readonly snapshots: SnapshotFetcher;
  readonly clock: Pick<Clock, "now" | "sleep">;
  readonly logger: Logger;
}

/** Options of {@link QuoteService}. */
export interface QuoteServiceOptions {
  /** Snapshot deadline when the request gives none; default 5 s. */
  readonly snapshotTimeoutMs?: number;
  /** How long a new stream waits for first ticks before its first message; default 2 s. */
  readonly firstTickWaitMs?: number;
  /** Coalescing of stream updates when the request gives no interval; default 50 ms. */
  readonly streamBatchMs?: number;
}

interface Resolved {
  readonly index: number;
  readonly details: IbContractDetails;
}

/** Quotes of contracts: from held lines, snapshots, or streams. */
export class QuoteService {
  readonly #deps: QuoteServiceDeps;
  readonly #snapshotTimeoutMs: number;
  readonly #firstTickWaitMs: number;
  readonly #streamBatchMs: number;

  constructor(deps: QuoteServiceDeps, opts: QuoteServiceOptions = {}) {
    this.#deps = deps;
    this.#snapshotTimeoutMs = opts.snapshotTimeoutMs ?? 5_000;
    this.#firstTickWaitMs = opts.firstTickWaitMs ?? 2_000;
    this.#streamBatchMs = opts.streamBatchMs ?? 50;
  }

  /** The quote of a held (or warm idle) line of `details`, if one exists and has prices. */
  heldQuote(details: IbContractDetails): QuoteState | undefined {
    const conId = details.contract.conId ?? 0;
    const state = this.#deps.lines.peek(lineKeyOf(conId, genericTicksFor(details.contract.secType)));
    return state?.hasPrice === true ? state : undefined;
  }

  /**
   * One quote per spec, in order; failures are per-item. A contract with a line (streamed by
   * someone, or idle and warm) is answered from it: IB sends only changes, so a live line is
   * current however old its last tick. Others get a snapshot.
   */
  async getQuotes(specs: readonly ContractSpec[], opts: { timeoutMs?: number | undefined; signal?: AbortSignal | undefined } = {}): Promise<Quote[]> {
    const quotes: (Quote | undefined)[] = specs.map(() => undefined);
    const toSnapshot: Resolved[] = [];
    const settled = await Promise.allSettled(specs.map((spec) => this.#deps.directory.one(spec, opts.signal)));
    settled.forEach((result, index) => {
      if (result.status === "rejected") {
        quotes[index] = create(QuoteSchema, { requestIndex: index, symbol: specs[index]?.symbol ?? "", flags: QuoteFlag.NO_QUOTE, error: errorDetailOf(result.reason) });
        return;
      }
      const held = this.heldQuote(result.value);
      if (held !== undefined) quotes[index] = held.toQuote(metaOf(index, result.value));
      else toSnapshot.push({ index, details: result.value });
    });
    if (toSnapshot.length > 0) {
      const results = await this.#deps.snapshots.fetch(
        toSnapshot.map((r) => marketContractOf(r.details)),
        opts.timeoutMs ?? this.#snapshotTimeoutMs,
        opts.signal,
      );
      toSnapshot.forEach((r, i) => {
        const result = results[i];
        if (result !== undefined) quotes[r.index] = snapshotQuote(result, metaOf(r.index, r.details));
      });
    }
    return quotes.map((q, index) => q ?? create(QuoteSchema, { requestIndex: index, flags: QuoteFlag.NO_QUOTE }));
  }

  /**
   * Streams quotes: the first batch holds every contract (after up to the first-tick wait),
   * later batches the contracts that changed, at most one per `minIntervalMs`. Lines are held
   * until the stream ends.
   * @throws ConnectError ResourceExhausted when the lines cannot be held; the stream also ends
   *   with the line's error when TWS ends one (e.g. 101, 200).
   */
  async *stream(specs: readonly ContractSpec[], opts: { minIntervalMs?: number | undefined; signal?: AbortSignal | undefined } = {}): AsyncGenerator<Quote[], void, undefined> {
    const signal = opts.signal;
    const details = await Promise.all(specs.map((spec) => this.#deps.directory.one(spec, signal)));
    const subs: LineSubscription[] = [];
    const offs: (() => void)[] = [];
    const dirty = new Set<number>();
    let wake: (() => void) | undefined;
    const onAbort = (): void => wake?.();
    signal?.addEventListener("abort", onAbort);
    try {
      for (const d of details) {
        const generic = genericTicksFor(d.contract.secType);
        subs.push(await this.#deps.lines.acquire(lineKeyOf(d.contract.conId ?? 0, generic), marketContractOf(d), generic));
      }
      subs.forEach((sub, index) => {
        offs.push(
          sub.onChange(() => {
            dirty.add(index);
            wake?.();
          }),
        );
      });
      const waitForWake = async (ms: number): Promise<void> => {
        const stop = new AbortController();
        await Promise.race([
          new Promise<void>((resolve) => {
            wake = resolve;
          }),
          this.#deps.clock.sleep(ms, stop.signal),
        ]);
        stop.abort();
        wake = undefined;
      };
      const firstDeadline = this.#deps.clock.now() + this.#firstTickWaitMs;
      while (!isAborted(signal) && !subs.every((s) => s.state.hasPrice || s.failure() !== undefined) && this.#deps.clock.now() < firstDeadline) {
        await waitForWake(firstDeadline - this.#deps.clock.now());
      }
      dirty.clear();
      const quoteOf = (index: number): Quote => {
        const sub = subs[index];
        const d = details[index];
        if (sub === undefined || d === undefined) throw new Error(`no subscription ${index}`);
        const failure = sub.failure();
        if (failure !== undefined) throw lineFailureError(failure, `${d.contract.symbol ?? ""} (conId ${d.contract.conId ?? 0})`);
        return sub.state.toQuote(metaOf(index, d));
      };
      yield subs.map((_s, index) => quoteOf(index));
      const interval = Math.max(opts.minIntervalMs ?? 0, this.#streamBatchMs);
      while (!isAborted(signal)) {
        if (dirty.size === 0) {
          await waitForWake(60_000);
          continue;
        }
        // Coalesce: everything that changes within the interval goes in one message.
        await this.#deps.clock.sleep(interval, signal);
        if (isAborted(signal)) break;
        const changed = [...dirty].sort((a, b) => a - b);
        dirty.clear();
        yield changed.map(quoteOf);
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      for (const off of offs) off();
      for (const sub of subs) sub.release();
    }
  }
}

/** Read through a call so TypeScript does not narrow it across awaits. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function metaOf(index: number, d: IbContractDetails): { requestIndex: number; conId: number; symbol: string; localSymbol: string; isOption: boolean } {
  return { requestIndex: index, conId: d.contract.conId ?? 0, symbol: d.contract.symbol ?? "", localSymbol: d.contract.localSymbol ?? "", isOption: d.contract.secType === IbSecType.OPT };
}

function snapshotQuote(result: SnapshotResult, meta: ReturnType<typeof metaOf>): Quote {
  const quote = result.state.toQuote(meta);
  if (result.outcome === "error" && result.error !== undefined) {
    const error = lineFailureError(result.error, meta.symbol === "" ? `conId ${meta.conId}` : meta.symbol);
    quote.error = errorDetailOf(error, result.error.code);
  }
  return quote;
}
