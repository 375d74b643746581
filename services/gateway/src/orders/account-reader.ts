import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { AccountSummarySchema, PositionSchema } from "@spreadops/api";
import type { AccountSummary, Position } from "@spreadops/api";
import { EventName } from "@stoqey/ib";
import type { Contract } from "@stoqey/ib";
import { redactAccount, unavailable } from "@spreadops/runtime";
import type { Clock } from "../scheduler/clock.js";
import { ibNumber, secTypeText } from "./ib-values.js";
import { expiryOf, rightOf, secTypeOf } from "./proto-mapping.js";
import type { OrderConnection } from "./wait-event.js";
import { waitForEvent } from "./wait-event.js";

/** The account summary tags the gateway asks for, and the AccountSummary field each fills. */
export const SUMMARY_TAGS = {
  NetLiquidation: "netLiquidation",
  AvailableFunds: "availableFunds",
  BuyingPower: "buyingPower",
  ExcessLiquidity: "excessLiquidity",
  InitMarginReq: "initMargin",
  MaintMarginReq: "maintMargin",
  EquityWithLoanValue: "equityWithLoan",
  TotalCashValue: "totalCash",
} as const satisfies Readonly<Record<string, keyof AccountSummary>>;

/** Collaborators of an {@link AccountReader}. */
export interface AccountReaderDeps {
  readonly connection: OrderConnection;
  readonly clock: Pick<Clock, "now" | "setTimer">;
  /** How long each TWS answer may take. */
  readonly timeoutMs: number;
  /** How long a summary is served from cache. */
  readonly cacheMs: number;
  /** How long to wait for the first reqPnL update before leaving P&L unknown. */
  readonly pnlTimeoutMs: number;
}

interface PositionRow {
  readonly account: string;
  readonly contract: Contract;
  readonly quantity: number;
  readonly avgCost: number;
}

/**
 * Positions (reqPositions, kept current by the position events TWS pushes after the
 * connection's own reqPositions) and the account summary (reqAccountSummary + one reqPnL
 * update, cached briefly). Account ids leave this class masked.
 */
export class AccountReader {
  readonly #deps: AccountReaderDeps;
  readonly #positions = new Map<string, PositionRow>();
  #summary: { readonly at: number; readonly value: AccountSummary } | undefined;
  #summaryInflight: Promise<AccountSummary> | undefined;

  constructor(deps: AccountReaderDeps, signal: AbortSignal) {
    this.#deps = deps;
    deps.connection.on(EventName.position, (account, contract, pos, avgCost) => {
      this.#positions.set(`${account}:${contract.conId ?? 0}`, { account, contract, quantity: pos, avgCost: ibNumber(avgCost) ?? 0 });
    }, signal);
  }

  /** Current non-zero positions, optionally of one underlying symbol. */
  async positions(symbol: string): Promise<{ readonly positions: Position[]; readonly asOf: number }> {
    const { connection, clock, timeoutMs } = this.#deps;
    try {
      await waitForEvent(connection, clock, EventName.positionEnd, () => true, timeoutMs, () => connection.send("control", (ib) => ib.reqPositions()));
    } catch (error) {
      throw unavailable(`could not read positions from TWS: ${error instanceof Error ? error.message : String(error)}`, error);
    }
    const rows = [...this.#positions.values()].filter((r) => r.quantity !== 0 && (symbol === "" || r.contract.symbol === symbol));
    return { positions: rows.map((r) => this.#position(r)), asOf: clock.now() };
  }

  #position(row: PositionRow): Position {
    const c = row.contract;
    return create(PositionSchema, {
      accountMasked: redactAccount(row.account),
      contract: {
        conId: c.conId ?? 0,
        symbol: c.symbol ?? "",
        secType: secTypeOf(c.secType),
        exchange: c.exchange ?? "",
        primaryExchange: c.primaryExch ?? "",
        currency: c.currency ?? "",
        localSymbol: c.localSymbol ?? "",
        tradingClass: c.tradingClass ?? "",
        multiplier: ibNumber(c.multiplier) ?? (secTypeText(c) === "STK" ? 1 : 0),
        expiry: expiryOf(c.lastTradeDateOrContractMonth),
        strike: ibNumber(c.strike) ?? 0,
        right: rightOf(c.right),
      },
      quantity: row.quantity,
      avgCostPerContract: row.avgCost,
    });
  }

  /** The account summary, from cache when younger than `cacheMs`; concurrent callers share one read. */
  summary(): Promise<AccountSummary> {
    const cached = this.#summary;
    if (cached !== undefined && this.#deps.clock.now() - cached.at < this.#deps.cacheMs) return Promise.resolve(cached.value);
    this.#summaryInflight ??= this.#readSummary().finally(() => {
      this.#summaryInflight = undefined;
    });
    return this.#summaryInflight;
  }

  async #readSummary(): Promise<AccountSummary> {
    const { connection, clock, timeoutMs } = this.#deps;
    const reqId = connection.nextRequestId();
    const rows: { account: string; tag: string; value: string; currency: string }[] = [];
    const local = new AbortController();
    connection.on(EventName.accountSummary, (id, account, tag, value, currency) => {
      if (id === reqId) rows.push({ account, tag, value, currency });
    }, local.signal);
    try {
      await waitForEvent(connection, clock, EventName.accountSummaryEnd, (id) => id === reqId, timeoutMs, () =>
        connection.send("control", (ib) => ib.reqAccountSummary(reqId, "All", Object.keys(SUMMARY_TAGS).join(","))),
      );
    } catch (error) {
      throw unavailable(`could not read the account summary from TWS: ${error instanceof Error ? error.message : String(error)}`, error);
    } finally {
      local.abort();
      // The request is a subscription at IB: end it whatever happened.
      connection.send("control", (ib) => ib.cancelAccountSummary(reqId)).catch(() => undefined);
    }
    const account = rows.find((r) => r.tag === "NetLiquidation")?.account ?? rows[0]?.account ?? "";
    const summary = create(AccountSummarySchema, {
      accountMasked: account === "" ? "" : redactAccount(account),
      currency: rows.find((r) => r.tag === "NetLiquidation")?.currency ?? "",
      asOf: timestampFromMs(clock.now()),
    });
    for (const row of rows) {
      if (row.account !== account || !(row.tag in SUMMARY_TAGS)) continue;
      const value = ibNumber(row.value);
      if (value !== undefined) summary[SUMMARY_TAGS[row.tag as keyof typeof SUMMARY_TAGS]] = value;
    }
    if (account !== "") await this.#readPnl(account, summary);
    this.#summary = { at: clock.now(), value: summary };
    return summary;
  }

  /** One reqPnL update into `summary`; P&L stays unknown when TWS does not answer in time. */
  async #readPnl(account: string, summary: AccountSummary): Promise<void> {
    const { connection, clock, pnlTimeoutMs } = this.#deps;
    const reqId = connection.nextRequestId();
    try {
      const [, daily, unrealized, realized] = await waitForEvent(connection, clock, EventName.pnl, (id) => id === reqId, pnlTimeoutMs, () =>
        connection.send("control", (ib) => ib.reqPnL(reqId, account, "")),
      );
      const d = ibNumber(daily);
      const u = ibNumber(unrealized);
      const r = ibNumber(realized);
      if (d !== undefined) summary.dailyPnl = d;
      if (u !== undefined) summary.unrealizedPnl = u;
      if (r !== undefined) summary.realizedPnl = r;
    } catch {
      // Unknown P&L is reported as unset, not as a failure of the whole summary.
    } finally {
      connection.send("control", (ib) => ib.cancelPnL(reqId)).catch(() => undefined);
    }
  }
}
