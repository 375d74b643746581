/**
 * GetHistoricalBars through the {@link HistoricalScheduler}: cached, coalesced, paced by IB's
 * rules, sent at `historical` priority; 162 is a pacing violation or "no data" by its text.
 *
 * @packageDocumentation
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { BarSchema, BarSize, ContractSpecSchema, HistorySpanUnit, WhatToShow, type Bar, type GetHistoricalBarsRequest } from "@spreadops/api";
import { resourceExhausted, type Clock, type Logger } from "@spreadops/runtime";
import { BarSizeSetting, EventName, type IBApi } from "@stoqey/ib";
import { isDailyOrLonger, type HistoricalScheduler, type HistoricalRequestSpec } from "../budgets/index.js";
import { exchangeDate } from "./chain-query.js";
import type { ContractDirectory } from "./contract-directory.js";
import { contractError } from "./contract-directory.js";
import type { MarketMetrics } from "./market-metrics.js";
import { marketContractOf } from "./quotes.js";
import { twsRequest } from "./tws-request.js";
import type { TwsRequestDeps } from "./tws-request-deps.js";

/** Bars and the time zone they are in. */
export interface HistoricalResult {
  readonly bars: readonly Bar[];
  readonly timeZoneId: string;
}

const BAR_SIZES: Readonly<Record<number, BarSizeSetting>> = {
  [BarSize.BAR_SIZE_1_SECOND]: BarSizeSetting.SECONDS_ONE, [BarSize.BAR_SIZE_5_SECONDS]: BarSizeSetting.SECONDS_FIVE, [BarSize.BAR_SIZE_10_SECONDS]: BarSizeSetting.SECONDS_TEN,
  [BarSize.BAR_SIZE_15_SECONDS]: BarSizeSetting.SECONDS_FIFTEEN, [BarSize.BAR_SIZE_30_SECONDS]: BarSizeSetting.SECONDS_THIRTY, [BarSize.BAR_SIZE_1_MINUTE]: BarSizeSetting.MINUTES_ONE,
  [BarSize.BAR_SIZE_2_MINUTES]: BarSizeSetting.MINUTES_TWO, [BarSize.BAR_SIZE_3_MINUTES]: BarSizeSetting.MINUTES_THREE, [BarSize.BAR_SIZE_5_MINUTES]: BarSizeSetting.MINUTES_FIVE,
  [BarSize.BAR_SIZE_10_MINUTES]: BarSizeSetting.MINUTES_TEN, [BarSize.BAR_SIZE_15_MINUTES]: BarSizeSetting.MINUTES_FIFTEEN, [BarSize.BAR_SIZE_20_MINUTES]: BarSizeSetting.MINUTES_TWENTY,
  [BarSize.BAR_SIZE_30_MINUTES]: BarSizeSetting.MINUTES_THIRTY, [BarSize.BAR_SIZE_1_HOUR]: BarSizeSetting.HOURS_ONE, [BarSize.BAR_SIZE_2_HOURS]: BarSizeSetting.HOURS_TWO,
  [BarSize.BAR_SIZE_3_HOURS]: BarSizeSetting.HOURS_THREE, [BarSize.BAR_SIZE_4_HOURS]: BarSizeSetting.HOURS_FOUR, [BarSize.BAR_SIZE_8_HOURS]: BarSizeSetting.HOURS_EIGHT,
  [BarSize.BAR_SIZE_1_DAY]: BarSizeSetting.DAYS_ONE, [BarSize.BAR_SIZE_1_WEEK]: BarSizeSetting.WEEKS_ONE, [BarSize.BAR_SIZE_1_MONTH]: BarSizeSetting.MONTHS_ONE,
};

const WHAT_TO_SHOW: Readonly<Record<number, string>> = {
  [WhatToShow.TRADES]: "TRADES", [WhatToShow.MIDPOINT]: "MIDPOINT", [WhatToShow.BID]: "BID", [WhatToShow.ASK]: "ASK",
  [WhatToShow.BID_ASK]: "BID_ASK", [WhatToShow.OPTION_IMPLIED_VOLATILITY]: "OPTION_IMPLIED_VOLATILITY",
  [WhatToShow.HISTORICAL_VOLATILITY]: "HISTORICAL_VOLATILITY", [WhatToShow.ADJUSTED_LAST]: "ADJUSTED_LAST",
};

const SPAN_UNITS: Readonly<Record<number, string>> = {
  [HistorySpanUnit.SECONDS]: "S", [HistorySpanUnit.DAYS]: "D", [HistorySpanUnit.WEEKS]: "W", [HistorySpanUnit.MONTHS]: "M", [HistorySpanUnit.YEARS]: "Y",
};

/** IB's request strings of a GetHistoricalBars request (validated upstream; unknown enums fall back to IB defaults). */
export function historicalStrings(req: GetHistoricalBarsRequest): { duration: string; barSize: BarSizeSetting; whatToShow: string; endDateTime: string; endMs: number | undefined } {
  const span = req.span;
  const duration = `${span?.count ?? 1} ${SPAN_UNITS[span?.unit ?? 0] ?? "D"}`;
  const endMs = req.endTime === undefined ? undefined : timestampMs(req.endTime);
  return {
    duration,
    barSize: BAR_SIZES[req.barSize] ?? BarSizeSetting.DAYS_ONE,
    whatToShow: WHAT_TO_SHOW[req.whatToShow] ?? "TRADES",
    endDateTime: endMs === undefined ? "" : ibUtcTime(endMs),
    endMs,
  };
}

/** Epoch ms as IB's UTC end time, `yyyyMMdd-HH:mm:ss`. */
export function ibUtcTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 19)}`;
}

/** One bar from TWS (formatDate 2: epoch seconds, or `YYYYMMDD` for daily bars from real TWS); daily bars get their session date. */
export function barOf(time: string, open: number, high: number, low: number, close: number, volume: number, count: number | undefined, wap: number, timeZoneOffsetMs: (dateMs: number) => number, daily: boolean): Bar {
  const bar = create(BarSchema, { open, high, low, close });
  if (/^\d{8}$/.test(time)) {
    bar.date = Number(time);
    const utcMidnight = Date.UTC(Number(time.slice(0, 4)), Number(time.slice(4, 6)) - 1, Number(time.slice(6, 8)));
    bar.time = timestampFromMs(utcMidnight - timeZoneOffsetMs(utcMidnight));
  } else {
    const ms = Number(time) * 1000;
    bar.time = timestampFromMs(ms);
    if (daily) bar.date = Number(exchangeDate(ms).replaceAll("-", ""));
  }
  if (volume >= 0) bar.volume = volume;
  if (wap >= 0) bar.wap = wap;
  if (count !== undefined && count >= 0) bar.tradeCount = count;
  return bar;
}

/** Offset of New York from UTC at `ms` (negative), for daily bars' session start. */
function newYorkOffsetMs(ms: number): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", timeZoneName: "longOffset" }).formatToParts(new Date(ms));
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(parts.find((p) => p.type === "timeZoneName")?.value ?? "");
  if (m === null) return 0;
  const sign = m[1] === "-" ? -1 : 1;
  return sign * (Number(m[2]) * 3_600_000 + Number(m[3]) * 60_000);
}

/** Collaborators of {@link HistoricalBarsService}. */
export interface HistoricalBarsDeps extends TwsRequestDeps {
  readonly directory: ContractDirectory;
  readonly scheduler: HistoricalScheduler<HistoricalResult>;
  readonly sleeper: Pick<Clock, "sleep">;
  readonly logger: Logger;
  readonly metrics: MarketMetrics;
}

/** Historical bars within IB's pacing rules. */
export class HistoricalBarsService {
  readonly #deps: HistoricalBarsDeps;
  readonly #timeoutMs: number;
  /** One promise per identity: the request that sends owns it, identical requests join it. */
  readonly #flights = new Map<string, Promise<HistoricalResult>>();
  #pacingViolations = 0;
  #open = 0;
  /** Send times (epoch ms) and weights of the last 10 minutes, for the pacing stats. */
  #sent: { atMs: number; weight: number }[] = [];

  constructor(deps: HistoricalBarsDeps, opts: { readonly timeoutMs?: number } = {}) {
    this.#deps = deps;
    this.#timeoutMs = opts.timeoutMs ?? 60_000;
  }

  /** IB 162 pacing violations seen. */
  get pacingViolations(): number {
    return this.#pacingViolations;
  }

  /** Historical requests (BID_ASK counting twice) sent in the last 10 minutes. */
  sentLast10Minutes(nowMs: number): number {
    this.#sent = this.#sent.filter((s) => s.atMs > nowMs - 600_000);
    return this.#sent.reduce((sum, s) => sum + s.weight, 0);
  }

  /** Historical requests sent and not yet answered. */
  get openRequests(): number {
    return this.#open;
  }

  /**
   * Bars of `req`.
   * @throws ConnectError ResourceExhausted (pacing bound or IB 162 pacing), NotFound (IB 200).
   */
  async bars(req: GetHistoricalBarsRequest, signal?: AbortSignal): Promise<HistoricalResult> {
    const details = await this.#deps.directory.one(req.contract ?? create(ContractSpecSchema), signal);
    const s = historicalStrings(req);
    const spec: HistoricalRequestSpec = {
      contractKey: `${details.contract.conId ?? 0}@${details.contract.exchange ?? "SMART"}`,
      endMs: s.endMs,
      duration: s.duration,
      barSize: s.barSize,
      whatToShow: s.whatToShow,
      useRTH: req.regularHoursOnly,
    };
    const { scheduler, clock } = this.#deps;
    let decision = scheduler.request(spec, clock.now());
    for (;;) {
      switch (decision.kind) {
        case "cached":
          this.#deps.metrics.historical("cached");
          return decision.value;
        case "join": {
          this.#deps.metrics.historical("joined");
          const flight = this.#flights.get(decision.identity);
          if (flight !== undefined) return flight;
          // The owner is waiting for pacing and has not published a flight yet: poll briefly.
          await this.#deps.sleeper.sleep(50, signal);
          decision = scheduler.request(spec, clock.now());
          continue;
        }
        case "wait":
          await this.#deps.sleeper.sleep(Math.max(0, decision.atMs - clock.now()), signal);
          if (signal?.aborted === true) {
            scheduler.fail(decision.identity);
            throw signal.reason instanceof Error ? signal.reason : new Error("aborted");
          }
          decision = scheduler.retry(decision.identity, clock.now());
          continue;
        case "exhausted":
          this.#deps.metrics.historical("exhausted");
          throw resourceExhausted(decision.message);
        case "send": {
          this.#deps.metrics.historical("sent");
          this.#sent.push({ atMs: clock.now(), weight: s.whatToShow === "BID_ASK" ? 2 : 1 });
          const identity = decision.identity;
          const flight = this.#send(details, s, req.regularHoursOnly, details.timeZoneId ?? "US/Eastern");
          this.#flights.set(identity, flight);
          try {
            const value = await flight;
            scheduler.complete(identity, value, clock.now());
            return value;
          } catch (error) {
            scheduler.fail(identity);
            throw error;
          } finally {
            this.#flights.delete(identity);
          }
        }
      }
    }
  }

  async #send(details: Awaited<ReturnType<ContractDirectory["one"]>>, s: ReturnType<typeof historicalStrings>, useRTH: boolean, timeZoneId: string): Promise<HistoricalResult> {
    const bars: Bar[] = [];
    const contract = marketContractOf(details);
    type WhatArg = Parameters<IBApi["reqHistoricalData"]>[5];
    this.#open += 1;
    try {
      return await twsRequest(this.#deps, {
        priority: "historical",
        what: `historical ${s.whatToShow} ${s.barSize} × ${s.duration} of ${contract.symbol ?? contract.conId ?? ""}`,
        timeoutMs: this.#timeoutMs,
        send: (ib, reqId) => ib.reqHistoricalData(reqId, contract, s.endDateTime, s.duration, s.barSize, s.whatToShow as WhatArg, useRTH ? 1 : 0, 2, false),
        handlers: (_reqId, done) => ({
          [EventName.historicalData]: (_id, time, open, high, low, close, volume, count, wap) => {
            // @stoqey signals the end with a "finished…" pseudo-bar.
            if (time.startsWith("finished")) done();
            else bars.push(barOf(time, open, high, low, close, volume, count, wap, newYorkOffsetMs, isDailyOrLonger(s.barSize)));
          },
        }),
        result: () => ({ bars, timeZoneId }),
        onError: (error) => {
          if (error.code === 162 && /no data/i.test(error.message)) {
            // "HMDS query returned no data": an empty answer, not a failure.
            return new NoDataSignal();
          }
          if (error.code === 162 && /pacing/i.test(error.message)) {
            this.#pacingViolations += 1;
            this.#deps.metrics.historical("pacing");
            return resourceExhausted(`historical-data pacing violation reported by IB (162); retry in a few seconds`);
          }
          return contractError(error, contract.symbol ?? String(contract.conId ?? ""));
        },
      });
    } catch (error) {
      if (error instanceof NoDataSignal) return { bars: [], timeZoneId };
      throw error;
    } finally {
      this.#open -= 1;
    }
  }
}

/** Internal: 162 "no data" turned into an empty result. */
class NoDataSignal extends Error {
  constructor() {
    super("no data");
  }
}
