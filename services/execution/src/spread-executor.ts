import { create } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import type {
  BrokerOrder, ContractDetails, ExitDecision, GetAccountSummaryResponse, IbError, OrderStatusUpdate, Preview, PriceWalk, StreamSpreadEventsResponse, StrategyRisk,
  WalkState, WhatIfResult,
} from "@spreadops/api";
import {
  BarSize, ExitAction, ExitDecisionSchema, ExitInfoSchema, ExitReason, HistorySpanUnit, IbErrorSchema, OrderAction, OrderStatus,
  PreviewSchema, PreviewWarningCode, PreviewWarningSchema, PriceEffect, RollProgressSchema, SecType, SpreadKind, SpreadOrderSchema, StreamSpreadEventsResponseSchema, TradePhase,
  RollPhase, TradingMode, WalkStateSchema, WhatToShow,
} from "@spreadops/api";
import type { SpreadOrder } from "@spreadops/api";
import { SPREAD_KINDS, atr as coreAtr, daysToExpiry, roundToTick, spreadEconomics, spreadQuote, spreadWidth } from "@spreadops/core";
import type { CancelTimer, Clock, Logger } from "@spreadops/runtime";
import { DomainError, failedPrecondition, invalidArgument, notFound } from "@spreadops/runtime";
import { brokerLimit, comboOrder } from "./combo-order.js";
import { ContractCache } from "./contract-cache.js";
import type { ResolvedLegs } from "./combo-order.js";
import type { ExecutionMetrics } from "./execution-metrics.js";
import { evaluateExit } from "./exits.js";
import type { GatewayPort } from "./gateway-port.js";
import type { KillSwitch } from "./kill-switch.js";
import { planWalk } from "./price-walk.js";
import type { WalkPlan } from "./price-walk.js";
import { riskGate } from "./risk-gate.js";
import { comboState, derivePhase, isTerminal, isWorking, legFills, openQuantity, rejectionOf } from "./spread-state.js";
import { sameTrade, validateTradeSpec } from "./trade-spec.js";
import type { ValidTrade } from "./trade-spec.js";
import type { PlaceSpreadRequest, CloseSpreadRequest, EvaluateExitsRequest, RollSpreadRequest, TradeSpec } from "@spreadops/api";

/** Settings of the executor (from the service's config). */
export interface SpreadExecutorOptions {
  /** Live orders are possible at all only with this opt-in. */
  readonly allowLive: boolean;
  /** Max loss of one trade, USD; the risk gate refuses more. */
  readonly maxRiskPerTradeUsd: number;
  /** Timeout of one gateway call, ms. */
  readonly callTimeoutMs: number;
  /** Walk for requests that set none; undefined = they do not walk. */
  readonly defaultWalk?: { readonly steps: number; readonly everyMs: number };
  /** Resolved legs kept for the exchange day (LRU); default 2,000. */
  readonly contractCacheSize?: number;
}

/** Collaborators of the executor. */
export interface SpreadExecutorDeps {
  readonly gateway: GatewayPort;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: ExecutionMetrics;
  readonly killSwitch: KillSwitch;
}

interface WalkRun {
  plan: WalkPlan;
  /** False while the natural price is unknown: the plan holds the start price and each step asks for quotes again. */
  naturalKnown: boolean;
  readonly everyMs: number;
  step: number;
  nextAt: number | undefined;
  exhausted: boolean;
  timer: CancelTimer | undefined;
}

interface SpreadRecord {
  trade: ValidTrade;
  legs: ResolvedLegs | undefined;
  localPhase: TradePhase;
  phase: TradePhase;
  phaseSince: number;
  adopted: boolean;
  entry: BrokerOrder | undefined;
  exit: BrokerOrder | undefined;
  walks: Map<OrderAction, WalkRun>;
  preview: Preview | undefined;
  rejection: IbError | undefined;
  exitInfo: { reason: ExitReason; message: string; at: number } | undefined;
  entryUnderlyingPrice: number | undefined;
  /** Where the anchor came from (ExitMetrics.entry_underlying_source). */
  entrySource: "request" | "fill" | "bars" | undefined;
  seenExecs: Set<string>;
  sentAt: Map<OrderAction, { ms: number; mid: number | undefined }>;
  filledObserved: Set<OrderAction>;
  /** Orders whose walk should start once their quotes arrive; a cancel clears it. */
  walkWanted: Set<OrderAction>;
  /** The roll this spread is part of (as the spread being closed), once RollSpread asked for one. */
  roll: RollIntent | undefined;
  /** Event-driven refreshes: one in flight, at most one more queued behind it. */
  refreshing: Promise<void> | undefined;
  refreshAgain: boolean;
}

/** A roll in progress: what to open once the close has filled. */
interface RollIntent {
  readonly next: ValidTrade;
  readonly request: PlaceSpreadRequest;
  /** The placement of the new spread, once started; cleared after a refusal so a retry re-evaluates. */
  opening: Promise<RollOpening> | undefined;
}

/** How the placement of a roll's new spread ended. */
type RollOpening =
  | { readonly ok: true; readonly adopted: boolean }
  | { readonly ok: false; readonly refused: string };

/** The outcome of one RollSpread call. */
export interface RollResult {
  readonly phase: RollPhase;
  readonly closing: SpreadOrder;
  readonly opening: SpreadOrder | undefined;
  readonly closeAdopted: boolean;
  readonly openAdopted: boolean;
  readonly message: string;
}

/** Natural and mid of the legs' quotes, per share in the spread's direction, for opening and closing. */
interface LegQuotes {
  readonly open: { readonly natural: number; readonly mid: number };
  readonly close: { readonly natural: number; readonly mid: number };
}

/** A listener of spread events (StreamSpreadEvents). */
export type SpreadEventListener = (event: StreamSpreadEventsResponse) => void;

const PHASE_NAMES = Object.fromEntries(Object.entries(TradePhase).filter(([, v]) => typeof v === "number").map(([k, v]) => [v, k.toLowerCase()])) as Record<number, string>;

/**
 * The order lifecycle of spreads, keyed by trade id (= IB orderRef). The broker is the source
 * of truth: every state is re-derived from the gateway's ListOrders for the trade id, so a new
 * instance rebuilds what an old one knew (adoption). In memory: the spec, the walk and the
 * decisions that IB does not store.
 */
export class SpreadExecutor {
  readonly #deps: SpreadExecutorDeps;
  readonly #options: SpreadExecutorOptions;
  readonly #records = new Map<string, SpreadRecord>();
  readonly #locks = new Map<string, Promise<unknown>>();
  readonly #listeners = new Set<SpreadEventListener>();
  readonly #pump = new AbortController();
  readonly #contracts: ContractCache;
  /** The gateway's mode at the last check; only decides whether reads may start early. */
  #lastGatewayMode: TradingMode | undefined;
  #closed = false;

  constructor(deps: SpreadExecutorDeps, options: SpreadExecutorOptions) {
    this.#deps = deps;
    this.#options = options;
    this.#contracts = new ContractCache(options.contractCacheSize ?? 2000);
  }

  /** Follows the gateway's order events so fills and rejections show up without polling. */
  start(): void {
    void this.#pumpEvents();
  }

  /** Stops timers and the event pump. Working orders stay at the broker. */
  stop(): void {
    this.#closed = true;
    this.#pump.abort();
    for (const record of this.#records.values()) for (const run of record.walks.values()) run.timer?.();
  }

  /** Adds a StreamSpreadEvents listener; returns its removal. */
  subscribe(listener: SpreadEventListener): () => void {
    this.#listeners.add(listener);
    return () => { this.#listeners.delete(listener); };
  }

  /** Current views of every tracked spread (for initial stream state and ListSpreads). */
  views(): SpreadOrder[] {
    return [...this.#records.values()].map((r) => this.#view(r));
  }

  // ---------------------------------------------------------------- preview

  /** What-if of opening the spread; places nothing. */
  async preview(spec: TradeSpec | undefined): Promise<Preview> {
    const trade = validateTradeSpec(spec, false);
    const legs = await this.#resolveLegs(trade);
    const named = { ...trade, tradeId: trade.tradeId === "" ? `preview-${this.#deps.clock.now()}` : trade.tradeId };
    const [result, quotes] = await Promise.all([this.#whatIf(named, legs), this.#quotes(named, legs)]);
    return this.#buildPreview(named, legs, result, quotes, true);
  }

  /** The what-if of the opening BUY at the trade's limit; places nothing. */
  async #whatIf(trade: ValidTrade, legs: ResolvedLegs): Promise<WhatIfResult | undefined> {
    const signed = brokerLimit(trade, trade.limitPrice, legs.tick, "trade.limit_price");
    const { result } = await this.#deps.gateway.whatIfOrder({ order: comboOrder(trade, legs, OrderAction.BUY, signed) }, this.#call());
    return result;
  }

  /**
   * The preview from a what-if result and the legs' quotes. `quotesKnown` false means the quotes
   * have not arrived yet (PlaceSpread does not wait for them): no NO_QUOTE warning then, and
   * {@link #fillPreviewQuotes} completes the preview when they come.
   */
  #buildPreview(trade: ValidTrade, legs: ResolvedLegs, result: WhatIfResult | undefined, quotes: LegQuotes | undefined, quotesKnown: boolean): Preview {
    const signed = brokerLimit(trade, trade.limitPrice, legs.tick, "trade.limit_price");
    const economics = spreadEconomics(trade.spread, trade.limitPrice);
    const usd = legs.multiplier * trade.quantity;
    const warnings: { code: PreviewWarningCode; message: string }[] = [];
    const initMargin = result?.initMarginChange;
    if (initMargin === undefined || result?.maintMarginChange === undefined) warnings.push({ code: PreviewWarningCode.MARGIN_UNKNOWN, message: "IB did not return the margin; automatic execution is blocked" });
    if (result?.commission === undefined) warnings.push({ code: PreviewWarningCode.COMMISSION_UNKNOWN, message: "IB did not return the commission" });
    if ((result?.warningText ?? "") !== "") warnings.push({ code: PreviewWarningCode.BROKER_WARNING, message: result?.warningText ?? "" });
    const insufficient = result?.initMarginAfter !== undefined && result.equityWithLoanAfter !== undefined && result.initMarginAfter > result.equityWithLoanAfter;
    if (insufficient) warnings.push({ code: PreviewWarningCode.INSUFFICIENT_MARGIN, message: "initial margin after the order exceeds equity with loan" });
    const preview = create(PreviewSchema, {
      ...(initMargin === undefined ? {} : { initMargin }),
      ...(result?.maintMarginChange === undefined ? {} : { maintMargin: result.maintMarginChange }),
      ...(result?.initMarginAfter === undefined ? {} : { initMarginAfter: result.initMarginAfter }),
      ...(result?.maintMarginAfter === undefined ? {} : { maintMarginAfter: result.maintMarginAfter }),
      ...(result?.equityWithLoanAfter === undefined ? {} : { equityWithLoanAfter: result.equityWithLoanAfter }),
      currency: result?.currency ?? "",
      ...(result?.commission === undefined ? {} : { commissionUsd: result.commission }),
      maxProfitUsd: economics.maxProfit * usd,
      maxLossUsd: economics.maxLoss * usd,
      breakeven: economics.breakeven,
      limitPrice: trade.limitPrice,
      brokerLimitPrice: signed,
      multiplier: legs.multiplier,
      warnings,
      automaticExecutionAllowed: initMargin !== undefined && !insufficient,
      ...(result === undefined ? {} : { brokerResult: result }),
      asOf: timestampFromMs(this.#deps.clock.now()),
    });
    if (quotesKnown) fillPreviewQuotes(preview, quotes);
    return preview;
  }

  // ---------------------------------------------------------------- place

  /**
   * Places the opening BUY of the combo, or adopts the order already carrying the trade id.
   *
   * Latency (docs/performance.md): every read-only gateway call starts at once — mode, the
   * broker lookup, the legs (cached per exchange day), then as soon as the legs are known the
   * what-if and the account summary (both place nothing) and the quotes. The send waits for the
   * mode, the lookup, the what-if and the summary, never for the quotes: they only give the mid
   * recorded for slippage and the natural price a walk moves toward, and are filled in (and the
   * walk started) when they arrive. Nothing is sent before every check has passed.
   */
  async place(request: PlaceSpreadRequest): Promise<{ order: SpreadOrder; adopted: boolean }> {
    const trade = validateTradeSpec(request.trade, true);
    const walk = validateWalk(request.walk, "walk") ?? (request.walk === undefined ? this.#options.defaultWalk : undefined);
    return this.#locked(trade.tradeId, async () => {
      const known = this.#records.get(trade.tradeId);
      if (known !== undefined) {
        if (!sameTrade(known.trade, trade)) throw new DomainError("already_exists", `trade id ${trade.tradeId} is already used by a different spread`);
        if (known.entry !== undefined) {
          await this.#refresh(known);
          this.#log(known, "place: already known, nothing sent", { decision: "adopt-local" });
          return { order: this.#view(known), adopted: true };
        }
      }
      const legsLookup = this.#resolveLegs(trade);
      // Speculative reads: the what-if and the account summary place nothing, so they run beside
      // the lookup instead of after it. Not when the placement is bound to be refused anyway (kill
      // switch engaged, or the gateway was last seen in another mode), so a refused trade still
      // reaches the broker with nothing at all.
      const speculate = !request.adoptOnly && !this.#deps.killSwitch.engaged && this.#lastGatewayMode === trade.mode;
      const reads = speculate ? this.#riskReads(trade, legsLookup) : undefined;
      const quotes = settleLater(legsLookup.then((legs) => this.#quotes(trade, legs)));
      // Look up before placing: an order carrying the trade id at the broker is adopted, never doubled.
      const [, existing] = await Promise.all([this.#checkMode(trade), this.#brokerOrders(trade.tradeId)]);
      const existingEntry = pick(existing.orders, OrderAction.BUY);
      if (existingEntry !== undefined) {
        const record = known ?? this.#newRecord(trade);
        record.adopted = true;
        this.#records.set(trade.tradeId, record);
        this.#apply(record, existing.orders);
        this.#log(record, "place: adopted the broker's order, nothing sent", { decision: "adopt", orderId: existingEntry.orderId, status: OrderStatus[existingEntry.status] });
        return { order: this.#view(record), adopted: true };
      }
      if (existing.orphans > 0) {
        throw failedPrecondition(`executions carrying trade id ${trade.tradeId} exist without their order; refusing to place until the broker reports it`);
      }
      if (request.adoptOnly) {
        this.#deps.logger.warn({ trade: trade.tradeId, decision: "adopt-only-none" }, "adopt only: the broker lists no order carrying the trade id; nothing sent");
        throw failedPrecondition(`adopt_only: the broker lists no order carrying trade id ${trade.tradeId}; nothing was sent`);
      }
      this.#checkKillSwitch(trade.tradeId);
      const legs = await legsLookup;
      brokerLimit(trade, trade.limitPrice, legs.tick, "trade.limit_price");
      const record = known ?? this.#newRecord(trade);
      record.legs = legs;
      this.#records.set(trade.tradeId, record);
      const [whatIf, summary] = await (reads ?? this.#riskReads(trade, legsLookup)).promise;
      const early = quotes.settled();
      const preview = this.#buildPreview(trade, legs, whatIf, early?.value, early !== undefined);
      record.preview = preview;
      const inputs = {
        initMargin: preview.initMargin,
        availableFunds: summary.summary?.availableFunds,
        maxLossUsd: preview.maxLossUsd,
        maxRiskPerTradeUsd: this.#options.maxRiskPerTradeUsd,
        automatic: request.automatic,
      };
      const verdict = riskGate(inputs);
      this.#log(record, "risk gate", { decision: verdict.allowed ? "allow" : "refuse", ...inputs, refusals: verdict.refusals, limitPrice: trade.limitPrice, brokerLimitPrice: preview.brokerLimitPrice, quantity: trade.quantity });
      if (!verdict.allowed) {
        record.rejection = create(IbErrorSchema, { code: 0, message: `risk gate: ${verdict.refusals.join("; ")}`, id: -1 });
        this.#setLocalPhase(record, TradePhase.REJECTED, record.rejection.message);
        this.#deps.metrics.rejects.inc({ reason: "risk_gate" });
        throw failedPrecondition(record.rejection.message);
      }
      record.rejection = undefined;
      this.#setLocalPhase(record, TradePhase.APPROVED, request.automatic ? "approved automatically" : "approved");
      // The kill switch is checked again right before the send: it may have been engaged meanwhile.
      this.#checkKillSwitch(trade.tradeId);
      const signed = brokerLimit(trade, trade.limitPrice, legs.tick, "trade.limit_price");
      record.sentAt.set(OrderAction.BUY, { ms: this.#deps.clock.now(), mid: preview.midPrice });
      this.#log(record, "sending opening order", { decision: "send", action: "BUY", brokerLimitPrice: signed, quantity: trade.quantity });
      const placed = await this.#deps.gateway.placeOrder({ order: comboOrder(trade, legs, OrderAction.BUY, signed) }, this.#call());
      if (placed.order !== undefined) this.#apply(record, [placed.order]);
      record.adopted = placed.adopted;
      if (walk !== undefined) record.walkWanted.add(OrderAction.BUY);
      const late = early === undefined ? quotes.settled() : early;
      if (late !== undefined) {
        this.#quotesArrived(record, OrderAction.BUY, late.value, walk, trade.limitPrice);
      } else {
        // The quotes are still on their way: complete the preview and start the walk under the
        // trade's lock when they arrive (a cancel in between clears walkWanted).
        void quotes.promise.then((q) => this.#locked(trade.tradeId, () => {
          this.#quotesArrived(record, OrderAction.BUY, q, walk, trade.limitPrice);
          return Promise.resolve();
        })).catch((error: unknown) => { this.#deps.logger.warn({ trade: trade.tradeId, err: error }, "late quotes could not be applied"); });
      }
      return { order: this.#view(record), adopted: placed.adopted };
    });
  }

  /** The what-if and the account summary of a placement, started together; rejections are observed. */
  #riskReads(trade: ValidTrade, legsLookup: Promise<ResolvedLegs>): { promise: Promise<[WhatIfResult | undefined, GetAccountSummaryResponse]> } {
    const promise = Promise.all([legsLookup.then((legs) => this.#whatIf(trade, legs)), this.#deps.gateway.getAccountSummary({}, this.#call())]);
    // Unused when the lookup adopts or refuses; observed so a failure there is not unhandled.
    promise.catch(() => undefined);
    return { promise };
  }

  /**
   * The legs' quotes of a just-sent order are in: the preview gets natural and mid, the send's
   * mid is recorded for slippage (observed at once if the order already filled), and a wanted
   * walk starts toward natural if the order still works.
   */
  #quotesArrived(record: SpreadRecord, action: OrderAction, quotes: LegQuotes | undefined, walk: { steps: number; everyMs: number } | undefined, start: number): void {
    const side = quotes === undefined ? undefined : action === OrderAction.BUY ? quotes.open : quotes.close;
    if (action === OrderAction.BUY && record.preview !== undefined) fillPreviewQuotes(record.preview, quotes);
    const order = orderOf(record, action);
    const sent = record.sentAt.get(action);
    if (sent !== undefined && sent.mid === undefined && side !== undefined) {
      record.sentAt.set(action, { ...sent, mid: side.mid });
      if (record.filledObserved.has(action) && order !== undefined) this.#observeSlippage(record, action, order);
    }
    if (walk !== undefined && record.walkWanted.has(action) && !record.walks.has(action) && order !== undefined && isWorking(order)) {
      this.#startWalk(record, action, start, side?.natural, walk);
    }
  }

  // ---------------------------------------------------------------- get / list

  /** Current state of one spread, refreshed from the broker. */
  async get(tradeId: string): Promise<SpreadOrder> {
    const record = this.#record(tradeId);
    await this.#refresh(record);
    return this.#view(record);
  }

  /**
   * Tracked spreads: non-terminal ones plus those that ended on the current exchange day
   * (America/New_York date, as the strategy counts today's realized P&L), not "the last 24 h",
   * which would carry yesterday afternoon's losses into this morning's budget.
   */
  list(strategyRef: string, phases: readonly TradePhase[]): SpreadOrder[] {
    const today = exchangeDate(this.#deps.clock.now());
    return [...this.#records.values()]
      .filter((r) => strategyRef === "" || r.trade.strategyRef === strategyRef)
      .filter((r) => phases.length === 0 || phases.includes(r.phase))
      .filter((r) => !isTerminal(r.phase) || exchangeDate(r.phaseSince) === today)
      .map((r) => this.#view(r));
  }

  // ---------------------------------------------------------------- cancel / close

  /** Cancels the working order (opening or closing); filled quantity stays. */
  async cancel(tradeId: string, reason: string): Promise<{ order: SpreadOrder; cancelSent: boolean }> {
    const record = this.#record(tradeId);
    return this.#locked(tradeId, async () => {
      await this.#refresh(record);
      const working = [record.entry, record.exit].filter((o): o is BrokerOrder => o !== undefined && isWorking(o));
      record.walkWanted.clear();
      for (const run of record.walks.values()) { run.timer?.(); run.nextAt = undefined; }
      if (working.length === 0) return { order: this.#view(record), cancelSent: false };
      this.#log(record, "cancelling", { decision: "cancel", reason, orderIds: working.map((o) => o.orderId) });
      for (const order of working) {
        const answer = await this.#deps.gateway.cancelOrder({ target: { case: "orderId", value: order.orderId } }, this.#call());
        this.#apply(record, answer.orders);
      }
      return { order: this.#view(record), cancelSent: true };
    });
  }

  /** Closes an open spread with a SELL of the same combo; adopts an existing SELL. */
  async close(request: CloseSpreadRequest): Promise<{ order: SpreadOrder; adopted: boolean }> {
    const record = this.#record(request.tradeId);
    const walk = validateWalk(request.walk, "walk") ?? (request.walk === undefined ? this.#options.defaultWalk : undefined);
    if (request.limitPrice !== undefined && !(request.limitPrice > 0)) throw invalidArgument("limit_price", "a premium > 0 in the closing direction", request.limitPrice);
    if (request.limitOffset !== undefined && !(request.limitOffset >= 0 && request.limitOffset < Infinity)) throw invalidArgument("limit_offset", "≥ 0 USD per share", request.limitOffset);
    return this.#locked(request.tradeId, async () => {
      await this.#refresh(record);
      if (record.exit !== undefined && (isWorking(record.exit) || record.phase === TradePhase.CLOSED)) {
        this.#log(record, "close: closing order exists, nothing sent", { decision: "adopt", orderId: record.exit.orderId });
        return { order: this.#view(record), adopted: true };
      }
      if (record.exit !== undefined) {
        // The gateway keeps one order per (orderRef, action): a second SELL of this trade id would
        // only be "adopted" as the ended one. Say so instead of pretending to close.
        throw failedPrecondition(`the closing order ${record.exit.orderId} of trade ${record.trade.tradeId} ended ${OrderStatus[record.exit.status]} with ${Math.round(record.exit.filledQuantity)} filled; one closing order per trade id, so the remaining ${openQuantity(record.entry, record.exit)} must be closed by hand`);
      }
      if (record.phase === TradePhase.PARTIALLY_FILLED && record.entry !== undefined) {
        const answer = await this.#deps.gateway.cancelOrder({ target: { case: "orderId", value: record.entry.orderId } }, this.#call());
        this.#apply(record, answer.orders);
      }
      if (record.phase !== TradePhase.OPEN && record.phase !== TradePhase.PARTIALLY_FILLED) {
        throw failedPrecondition(`trade ${record.trade.tradeId} is ${PHASE_NAMES[record.phase] ?? "unknown"}; only an open spread can be closed`);
      }
      this.#checkKillSwitch(record.trade.tradeId);
      const legs = record.legs ?? await this.#resolveLegs(record.trade);
      record.legs = legs;
      const quantity = openQuantity(record.entry, record.exit);
      if (quantity === 0) throw failedPrecondition(`trade ${record.trade.tradeId} has nothing open`);
      const quotes = await this.#quotes(record.trade, legs);
      let premium = request.limitPrice;
      if (premium === undefined) {
        if (quotes === undefined) throw failedPrecondition("no two-sided quotes for the legs; give limit_price to close");
        const offset = request.limitOffset ?? 0;
        // Closing a credit spread pays (round up = toward natural), closing a debit receives.
        premium = record.trade.credit
          ? roundToTick(Math.min(quotes.close.mid + offset, quotes.close.natural), legs.tick, "up")
          : roundToTick(Math.max(quotes.close.mid - offset, quotes.close.natural), legs.tick, "down");
        premium = Math.min(Math.max(premium, legs.tick), roundToTick(spreadWidth(record.trade.spread) - legs.tick, legs.tick, "down"));
      }
      const signed = brokerLimit(record.trade, premium, legs.tick, "limit_price");
      record.exitInfo = { reason: request.reason === ExitReason.UNSPECIFIED ? ExitReason.MANUAL : request.reason, message: request.message, at: this.#deps.clock.now() };
      this.#checkKillSwitch(record.trade.tradeId);
      record.sentAt.set(OrderAction.SELL, { ms: this.#deps.clock.now(), mid: quotes?.close.mid });
      this.#log(record, "sending closing order", { decision: "send", action: "SELL", reason: ExitReason[record.exitInfo.reason], premium, brokerLimitPrice: signed, quantity, mid: quotes?.close.mid, natural: quotes?.close.natural });
      const placed = await this.#deps.gateway.placeOrder({ order: comboOrder(record.trade, legs, OrderAction.SELL, signed, quantity) }, this.#call());
      if (placed.order !== undefined) this.#apply(record, [placed.order]);
      const exit = orderOf(record, OrderAction.SELL);
      if (walk !== undefined && exit !== undefined && isWorking(exit)) {
        this.#startWalk(record, OrderAction.SELL, premium, quotes?.close.natural, walk);
      }
      return { order: this.#view(record), adopted: placed.adopted };
    });
  }

  // ---------------------------------------------------------------- roll

  /**
   * Rolls an open spread into `new_trade` as one decision: checks the new spread (nothing sent
   * if it fails), closes the old one through {@link close} (adopting an existing SELL), and
   * places the new one through {@link place} (adopting an existing BUY) only once the close has
   * filled for the whole open quantity — here when it already has, else from the order events
   * when it does. Never both at once: an unfilled close next to a filled opening would double the
   * exposure. Every step is idempotent by trade id, so the caller repeats the same request
   * until OPENED.
   */
  async roll(request: RollSpreadRequest): Promise<RollResult> {
    // The request's own fields first (InvalidArgument before NotFound), then against the rolled spread.
    if (request.tradeId === "") throw invalidArgument("trade_id", "a trade id", request.tradeId);
    const next = validateTradeSpec(request.newTrade, true, "new_trade");
    validateWalk(request.closeWalk, "close_walk");
    validateWalk(request.openWalk, "open_walk");
    if (request.closeLimitPrice !== undefined && !(request.closeLimitPrice > 0 && request.closeLimitPrice < Infinity)) throw invalidArgument("close_limit_price", "a premium > 0 in the closing direction", request.closeLimitPrice);
    if (request.closeLimitOffset !== undefined && !(request.closeLimitOffset >= 0 && request.closeLimitOffset < Infinity)) throw invalidArgument("close_limit_offset", "≥ 0 USD per share", request.closeLimitOffset);
    const record = this.#record(request.tradeId);
    const old = record.trade;
    if (next.tradeId === old.tradeId) throw invalidArgument("new_trade.trade_id", "a trade id other than the rolled spread's", next.tradeId);
    if (next.underlying !== old.underlying) throw invalidArgument("new_trade.underlying", `the rolled spread's underlying ${old.underlying}`, next.underlying);
    if (next.kind !== old.kind) throw invalidArgument("new_trade.kind", `the rolled spread's kind ${kindOf(old)}`, kindOf(next));
    if (!(next.expiry > old.expiry)) throw invalidArgument("new_trade.expiry", `an expiry later than the rolled spread's ${old.expiry}`, next.expiry);
    if (next.mode !== old.mode) throw invalidArgument("new_trade.mode", `the rolled spread's mode ${TradingMode[old.mode]}`, TradingMode[next.mode]);
    if (next.strategyRef !== "" && next.strategyRef !== old.strategyRef) throw invalidArgument("new_trade.strategy_ref", `empty or the rolled spread's ${old.strategyRef}`, next.strategyRef);
    const nextTrade: ValidTrade = { ...next, strategyRef: old.strategyRef };
    if (record.roll !== undefined && (record.roll.next.tradeId !== nextTrade.tradeId || !sameTrade(record.roll.next, nextTrade))) {
      throw new DomainError("already_exists", `trade ${old.tradeId} is already being rolled into ${record.roll.next.tradeId} (a retry must repeat the same new_trade)`);
    }
    const known = this.#records.get(nextTrade.tradeId);
    if (known !== undefined && !sameTrade(known.trade, nextTrade)) throw new DomainError("already_exists", `trade id ${nextTrade.tradeId} is already used by a different spread`);
    const spec = specOf(nextTrade);
    const intent: RollIntent = record.roll ?? {
      next: nextTrade,
      request: { $typeName: "spreadops.v1.PlaceSpreadRequest", trade: spec, automatic: request.automatic, adoptOnly: false, ...(request.openWalk === undefined ? {} : { walk: request.openWalk }) },
      opening: undefined,
    };

    // A placement started by an earlier call (or by the close's fill) is not this call's doing.
    const placedBefore = record.roll?.opening !== undefined;
    await this.#locked(old.tradeId, () => this.#refresh(record));
    const view = (phase: RollPhase, message: string, closeAdopted: boolean, openAdopted: boolean): RollResult => {
      const opened = this.#records.get(nextTrade.tradeId);
      return { phase, closing: this.#view(record), opening: opened === undefined ? undefined : this.#view(opened), closeAdopted, openAdopted, message };
    };
    const rollable = [TradePhase.OPEN, TradePhase.PARTIALLY_FILLED, TradePhase.CLOSING, TradePhase.CLOSED];
    if (!rollable.includes(record.phase)) throw failedPrecondition(`trade ${old.tradeId} is ${PHASE_NAMES[record.phase] ?? "unknown"}; only an open spread can be rolled`);
    if (record.phase !== TradePhase.CLOSED && record.exit !== undefined && !isWorking(record.exit)) {
      return view(RollPhase.CLOSE_UNFILLED, `the closing order ${record.exit.orderId} ended ${OrderStatus[record.exit.status]} with ${Math.round(record.exit.filledQuantity)} filled; ${openQuantity(record.entry, record.exit)} still open; nothing new placed`, true, false);
    }
    if (known?.entry === undefined) await this.#preflightRoll(record, nextTrade);
    const registered = record.roll === undefined;
    if (registered) {
      record.roll = intent;
      this.#log(record, "roll: closing, then opening the new spread", { decision: "roll", to: nextTrade.tradeId, expiry: nextTrade.expiry, shortStrike: nextTrade.shortStrike, longStrike: nextTrade.longStrike, quantity: nextTrade.quantity, limitPrice: nextTrade.limitPrice });
      if (record.phase !== TradePhase.CLOSED) this.#emitRoll(record, intent, RollPhase.CLOSING, `closing ${old.tradeId}; ${nextTrade.tradeId} is placed once the close has filled`);
    }
    let closeAdopted = true;
    if (record.phase !== TradePhase.CLOSED) {
      try {
        const closed = await this.close({
          $typeName: "spreadops.v1.CloseSpreadRequest",
          tradeId: old.tradeId,
          reason: ExitReason.ROLL,
          message: `roll into ${nextTrade.tradeId}${request.message === "" ? "" : `: ${request.message}`}`,
          ...(request.closeLimitPrice === undefined ? {} : { limitPrice: request.closeLimitPrice }),
          ...(request.closeLimitOffset === undefined ? {} : { limitOffset: request.closeLimitOffset }),
          ...(request.closeWalk === undefined ? {} : { walk: request.closeWalk }),
        });
        closeAdopted = closed.adopted;
      } catch (error) {
        // No closing order known: the roll did not start, and another target may be chosen. (One
        // that reached the broker unseen shows up by its fill; the caller's retry then opens.)
        if (registered && orderOf(record, OrderAction.SELL) === undefined) record.roll = undefined;
        throw error;
      }
    }
    if (record.phase !== TradePhase.CLOSED) {
      return view(RollPhase.CLOSING, `closing order ${record.exit?.orderId ?? 0} working; ${nextTrade.tradeId} is placed once it has filled`, closeAdopted, false);
    }
    const opening = await this.#openRoll(record);
    if (!opening.ok) return view(RollPhase.OPEN_REFUSED, `closed, but ${nextTrade.tradeId} was refused: ${opening.refused}`, closeAdopted, false);
    const openAdopted = opening.adopted || placedBefore;
    return view(RollPhase.OPENED, `closed; ${nextTrade.tradeId} ${openAdopted ? "adopted" : "placed"}`, closeAdopted, openAdopted);
  }

  /**
   * What can be known about the new spread before the old one is closed, so a roll that cannot
   * open never starts closing: mode, kill switch, legs, tick and the per-trade max loss. Margin
   * is left to the risk gate at placement: a what-if now would still count the old spread.
   */
  async #preflightRoll(record: SpreadRecord, next: ValidTrade): Promise<void> {
    await this.#checkMode(next);
    this.#checkKillSwitch(next.tradeId);
    const legs = await this.#resolveLegs(next, "new_trade");
    brokerLimit(next, next.limitPrice, legs.tick, "new_trade.limit_price");
    const maxLossUsd = spreadEconomics(next.spread, next.limitPrice).maxLoss * legs.multiplier * next.quantity;
    if (!(maxLossUsd <= this.#options.maxRiskPerTradeUsd)) {
      this.#deps.metrics.rejects.inc({ reason: "risk_gate" });
      this.#log(record, "roll refused before closing", { decision: "refuse", to: next.tradeId, maxLossUsd, maxRiskPerTradeUsd: this.#options.maxRiskPerTradeUsd });
      throw failedPrecondition(`roll refused, nothing sent: the new spread's max loss ${maxLossUsd.toFixed(2)} USD exceeds the per-trade limit ${this.#options.maxRiskPerTradeUsd.toFixed(2)} USD`);
    }
  }

  /**
   * Places a roll's new spread (once; concurrent callers share the placement). A refusal
   * (FailedPrecondition: risk gate, kill switch, mode) is an outcome, reported and forgotten so
   * the next RollSpread evaluates it again; any other failure (gateway unavailable) is thrown.
   */
  #openRoll(record: SpreadRecord): Promise<RollOpening> {
    const roll = record.roll;
    if (roll === undefined) return Promise.reject(new Error("no roll in progress"));
    roll.opening ??= (async (): Promise<RollOpening> => {
      try {
        const placed = await this.place(roll.request);
        this.#emitRoll(record, roll, RollPhase.OPENED, `closed; ${roll.next.tradeId} ${placed.adopted ? "adopted" : "placed"}`);
        return { ok: true, adopted: placed.adopted };
      } catch (error) {
        roll.opening = undefined;
        const refusal = error instanceof ConnectError && error.code === Code.FailedPrecondition ? error.rawMessage
          : error instanceof DomainError && error.kind === "failed_precondition" ? error.message : undefined;
        if (refusal === undefined) throw error;
        this.#log(record, "roll: new spread refused", { decision: "refuse", to: roll.next.tradeId, reason: refusal });
        this.#emitRoll(record, roll, RollPhase.OPEN_REFUSED, refusal);
        return { ok: false, refused: refusal };
      }
    })();
    return roll.opening;
  }

  #emitRoll(record: SpreadRecord, roll: RollIntent, phase: RollPhase, message: string): void {
    this.#emit(record, { case: "roll", value: create(RollProgressSchema, { fromTradeId: record.trade.tradeId, toTradeId: roll.next.tradeId, phase, message }) });
  }

  // ---------------------------------------------------------------- exits

  /** Decides hold / close / roll for an open spread; acts on nothing. */
  async evaluateExits(request: EvaluateExitsRequest): Promise<ExitDecision> {
    const record = this.#record(request.tradeId);
    await this.#refresh(record);
    if (record.phase !== TradePhase.OPEN) throw failedPrecondition(`trade ${record.trade.tradeId} is ${PHASE_NAMES[record.phase] ?? "unknown"}; exits are evaluated for open spreads`);
    const rules: StrategyRisk | undefined = request.rules;
    const legs = record.legs ?? await this.#resolveLegs(record.trade);
    record.legs = legs;
    const asOf = request.asOf === undefined ? this.#deps.clock.now() : Number(request.asOf.seconds) * 1000 + Math.floor(request.asOf.nanos / 1e6);
    const underlyingPrice = request.underlyingPrice ?? await this.#underlyingPrice(record.trade);
    const atr = rules?.stopLossAtrMultiple === undefined ? request.atr : request.atr ?? await this.#atr(record.trade);
    const mid = request.spreadMid ?? (await this.#quotes(record.trade, legs))?.close.mid;
    if (request.entryUnderlyingPrice !== undefined) {
      if (!(request.entryUnderlyingPrice > 0 && request.entryUnderlyingPrice < Infinity)) throw invalidArgument("entry_underlying_price", "a positive price, USD per share", request.entryUnderlyingPrice);
      record.entryUnderlyingPrice = request.entryUnderlyingPrice;
      record.entrySource = "request";
    } else if (record.entryUnderlyingPrice === undefined) {
      // Never the current price: re-anchoring a spread that has already moved against us would
      // move its stop along with the loss.
      const recovered = await this.#underlyingAtEntry(record);
      if (recovered !== undefined) {
        record.entryUnderlyingPrice = recovered;
        record.entrySource = "bars";
      }
    }
    const entryPremium = record.entry?.avgFillPrice === undefined ? record.trade.limitPrice : Math.abs(record.entry.avgFillPrice);
    const dte = daysToExpiry(exchangeDate(asOf), record.trade.spread.expiry);
    const verdict = evaluateExit({
      bullish: SPREAD_KINDS[record.trade.kind].direction === "bullish",
      dte,
      underlyingPrice,
      entryUnderlyingPrice: record.entryUnderlyingPrice,
      atr,
      entryPremium,
      credit: record.trade.credit,
      width: spreadWidth(record.trade.spread),
      currentMid: mid,
      multiplier: legs.multiplier,
      openQuantity: openQuantity(record.entry, record.exit),
      stopLossAtrMultiple: rules?.stopLossAtrMultiple,
      takeProfitPercent: rules?.takeProfitPercent,
      exitAtDte: rules?.exitAtDte,
      rollEnabled: rules?.roll?.enabled ?? false,
      rollAtDte: rules?.roll?.atDte,
    });
    const decision = create(ExitDecisionSchema, {
      action: verdict.action,
      reason: verdict.reason,
      message: verdict.message,
      metrics: {
        dte,
        ...(underlyingPrice === undefined ? {} : { underlyingPrice }),
        ...(record.entryUnderlyingPrice === undefined ? {} : { entryUnderlyingPrice: record.entryUnderlyingPrice }),
        entryUnderlyingSource: record.entrySource ?? "",
        ...(atr === undefined ? {} : { atr }),
        ...(verdict.stopPrice === undefined ? {} : { stopPrice: verdict.stopPrice }),
        ...(mid === undefined ? {} : { currentMid: mid }),
        ...(verdict.profitCapturedPercent === undefined ? {} : { profitCapturedPercent: verdict.profitCapturedPercent }),
        ...(verdict.unrealizedPnlUsd === undefined ? {} : { unrealizedPnlUsd: verdict.unrealizedPnlUsd }),
      },
    });
    this.#log(record, "exit decision", { decision: ExitAction[verdict.action], reason: ExitReason[verdict.reason], message: verdict.message, underlyingPrice, atr, mid, dte });
    if (verdict.action !== ExitAction.HOLD) {
      record.exitInfo = { reason: verdict.reason, message: verdict.message, at: asOf };
      this.#emit(record, { case: "exitDecision", value: decision });
    }
    return decision;
  }

  /** Sets the underlying price at entry (the stop-loss anchor) when the caller knows it. */
  setEntryUnderlyingPrice(tradeId: string, price: number): void {
    const record = this.#record(tradeId);
    record.entryUnderlyingPrice = price;
    record.entrySource = "request";
  }

  // ---------------------------------------------------------------- internals

  #newRecord(trade: ValidTrade): SpreadRecord {
    return {
      trade, legs: undefined, localPhase: TradePhase.PROPOSED, phase: TradePhase.PROPOSED, phaseSince: this.#deps.clock.now(), adopted: false,
      entry: undefined, exit: undefined, walks: new Map(), preview: undefined, rejection: undefined, exitInfo: undefined,
      entryUnderlyingPrice: undefined, entrySource: undefined, seenExecs: new Set(), sentAt: new Map(), filledObserved: new Set(), walkWanted: new Set(),
      roll: undefined, refreshing: undefined, refreshAgain: false,
    };
  }

  #record(tradeId: string): SpreadRecord {
    if (tradeId === "") throw invalidArgument("trade_id", "a trade id", tradeId);
    const record = this.#records.get(tradeId);
    if (record === undefined) throw notFound("trade", tradeId);
    return record;
  }

  async #locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.catch(() => undefined);
    this.#locks.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.#locks.get(key) === settled) this.#locks.delete(key);
    }
  }

  /**
   * Options of one unary gateway call: bounded by the timeout only. A shared abort signal would
   * collect one listener per call; stop() leaves in-flight calls to finish within their timeout.
   */
  #call(): { timeoutMs: number } {
    return { timeoutMs: this.#options.callTimeoutMs };
  }

  #checkKillSwitch(tradeId: string): void {
    const ks = this.#deps.killSwitch;
    if (!ks.engaged) return;
    this.#deps.metrics.rejects.inc({ reason: "kill_switch" });
    this.#deps.logger.warn({ trade: tradeId, decision: "refuse", reason: ks.reason }, "kill switch engaged: order refused");
    throw failedPrecondition(`kill switch engaged (${ks.reason}): no new orders`);
  }

  /** Paper by default: live needs the opt-in, a live gateway and a live trade; any mismatch refuses. */
  async #checkMode(trade: ValidTrade): Promise<void> {
    const { status } = await this.#deps.gateway.getConnectionStatus({}, this.#call());
    const gatewayMode = status?.mode ?? TradingMode.UNSPECIFIED;
    this.#lastGatewayMode = gatewayMode;
    const name = (m: TradingMode): string => TradingMode[m];
    let problem: string | undefined;
    if (gatewayMode !== trade.mode) problem = `trade mode ${name(trade.mode)} does not match gateway mode ${name(gatewayMode)}`;
    else if (trade.mode === TradingMode.LIVE && !this.#options.allowLive) problem = `trade mode LIVE and gateway mode LIVE, but live trading is not enabled in the execution service (--allow-live)`;
    if (problem !== undefined) {
      this.#deps.metrics.rejects.inc({ reason: "mode" });
      this.#deps.logger.warn({ trade: trade.tradeId, decision: "refuse", tradeMode: name(trade.mode), gatewayMode: name(gatewayMode) }, "mode check refused the order");
      throw failedPrecondition(problem);
    }
  }

  async #brokerOrders(tradeId: string): Promise<{ orders: BrokerOrder[]; orphans: number }> {
    const answer = await this.#deps.gateway.listOrders({ orderRefs: [tradeId], includeCompleted: true }, this.#call());
    return { orders: answer.orders.filter((o) => o.orderRef === tradeId), orphans: answer.orphanExecutions.length };
  }

  async #refresh(record: SpreadRecord): Promise<void> {
    const { orders } = await this.#brokerOrders(record.trade.tradeId);
    this.#apply(record, orders);
  }

  /** Takes broker orders of the trade id into the record and emits what changed. */
  #apply(record: SpreadRecord, orders: readonly BrokerOrder[]): void {
    // A fill is "seen live" when this instance sent the order or saw it working before; an order
    // adopted already filled (after a restart) filled at some earlier, unknown price.
    const entryLive = record.sentAt.has(OrderAction.BUY) || (record.entry !== undefined && isWorking(record.entry));
    const entry = pick(orders, OrderAction.BUY, record.entry);
    const exit = pick(orders, OrderAction.SELL, record.exit);
    if (entry !== undefined) record.entry = entry;
    if (exit !== undefined) record.exit = exit;
    for (const order of [record.entry, record.exit]) {
      if (order === undefined) continue;
      for (const fill of legFills(order)) {
        if (record.seenExecs.has(fill.execId)) continue;
        record.seenExecs.add(fill.execId);
        this.#emit(record, { case: "fill", value: fill });
      }
      const action = order.order?.action ?? OrderAction.UNSPECIFIED;
      if (order.status === OrderStatus.FILLED && !record.filledObserved.has(action)) {
        record.filledObserved.add(action);
        if (action === OrderAction.BUY && record.entryUnderlyingPrice === undefined && entryLive) {
          // The stop-loss anchor: the underlying when the opening order filled (best effort).
          void this.#underlyingPrice(record.trade).then((price) => {
            if (price === undefined || record.entryUnderlyingPrice !== undefined) return;
            record.entryUnderlyingPrice = price;
            record.entrySource = "fill";
          });
        }
        const sent = record.sentAt.get(action);
        if (sent !== undefined) {
          this.#deps.metrics.fillLatency.observe({ action: OrderAction[action] }, Math.max(0, this.#deps.clock.now() - sent.ms) / 1000);
          this.#observeSlippage(record, action, order);
        }
      }
      const rejection = rejectionOf(order);
      if (rejection !== undefined && action === OrderAction.BUY && record.rejection === undefined) {
        record.rejection = rejection;
        this.#deps.metrics.rejects.inc({ reason: `broker_${rejection.code}` });
        this.#log(record, "broker rejected the order", { decision: "rejected", code: rejection.code, message: rejection.message });
        this.#emit(record, { case: "brokerMessage", value: rejection });
      }
    }
    this.#updatePhase(record, "broker state");
  }

  /** Slippage of a filled order against the mid at its send, once both are known. */
  #observeSlippage(record: SpreadRecord, action: OrderAction, order: BrokerOrder): void {
    const mid = record.sentAt.get(action)?.mid;
    if (mid === undefined || order.avgFillPrice === undefined) return;
    const fill = Math.abs(order.avgFillPrice);
    const receiving = (action === OrderAction.BUY) === record.trade.credit;
    this.#deps.metrics.slippage.observe({ action: OrderAction[action] }, receiving ? mid - fill : fill - mid);
  }

  #setLocalPhase(record: SpreadRecord, phase: TradePhase, reason: string): void {
    record.localPhase = phase;
    this.#updatePhase(record, reason);
  }

  #updatePhase(record: SpreadRecord, reason: string): void {
    const phase = derivePhase(record.entry, record.exit, record.localPhase);
    if (phase === record.phase) return;
    const from = record.phase;
    this.#deps.metrics.orders.dec({ state: PHASE_NAMES[from] ?? "unknown" });
    this.#deps.metrics.orders.inc({ state: PHASE_NAMES[phase] ?? "unknown" });
    record.phase = phase;
    record.phaseSince = this.#deps.clock.now();
    if (isTerminal(phase) || phase === TradePhase.OPEN) for (const run of record.walks.values()) { run.timer?.(); run.nextAt = undefined; }
    this.#log(record, "phase change", { from: PHASE_NAMES[from], to: PHASE_NAMES[phase], reason });
    this.#emit(record, { case: "phaseChange", value: { $typeName: "spreadops.v1.PhaseChange", from, to: phase, reason } });
    const roll = record.roll;
    if (roll !== undefined && !this.#closed) {
      // The close of a roll filled: open the new spread now rather than at the caller's next retry.
      if (phase === TradePhase.CLOSED && roll.opening === undefined) {
        this.#openRoll(record).catch((error: unknown) => { this.#deps.logger.warn({ trade: record.trade.tradeId, to: roll.next.tradeId, err: error }, "roll: placing the new spread failed; the next RollSpread retries"); });
      } else if (from === TradePhase.CLOSING && phase === TradePhase.OPEN) {
        this.#emitRoll(record, roll, RollPhase.CLOSE_UNFILLED, "the closing order ended without closing the whole quantity; nothing new placed");
      }
    }
  }

  #emit(record: SpreadRecord, event: StreamSpreadEventsResponse["event"]): void {
    if (this.#listeners.size === 0) return;
    const message = create(StreamSpreadEventsResponseSchema, {
      tradeId: record.trade.tradeId, strategyRef: record.trade.strategyRef, time: timestampFromMs(this.#deps.clock.now()), event, order: this.#view(record),
    });
    for (const listener of this.#listeners) listener(message);
  }

  #view(record: SpreadRecord): SpreadOrder {
    const { trade } = record;
    const quantity = openQuantity(record.entry, record.exit);
    const basisQty = record.entry === undefined || Math.round(record.entry.filledQuantity) === 0 ? trade.quantity : quantity;
    const premium = record.entry?.avgFillPrice === undefined ? trade.limitPrice : Math.abs(record.entry.avgFillPrice);
    let economics;
    try { economics = spreadEconomics(trade.spread, premium); } catch { economics = undefined; }
    const multiplier = record.legs?.multiplier ?? record.preview?.multiplier ?? 0;
    const entry = record.entry === undefined ? undefined : comboState(record.entry, this.#walkState(record, OrderAction.BUY));
    const exit = record.exit === undefined ? undefined : comboState(record.exit, this.#walkState(record, OrderAction.SELL));
    let realized: number | undefined;
    if (record.exit?.avgFillPrice !== undefined && record.entry?.avgFillPrice !== undefined && multiplier > 0) {
      const closedQty = Math.round(record.exit.filledQuantity);
      const entryP = Math.abs(record.entry.avgFillPrice);
      const exitP = Math.abs(record.exit.avgFillPrice);
      const perShare = trade.credit ? entryP - exitP : exitP - entryP;
      realized = perShare * multiplier * closedQty - (entry?.commissionUsd ?? 0) * (closedQty / Math.max(1, Math.round(record.entry.filledQuantity))) - (exit?.commissionUsd ?? 0);
    }
    return create(SpreadOrderSchema, {
      tradeId: trade.tradeId,
      strategyRef: trade.strategyRef,
      spec: specOf(trade),
      priceEffect: trade.credit ? PriceEffect.CREDIT : PriceEffect.DEBIT,
      phase: record.phase,
      phaseSince: timestampFromMs(record.phaseSince),
      adopted: record.adopted,
      shortConId: record.legs?.shortConId ?? trade.shortConId,
      longConId: record.legs?.longConId ?? trade.longConId,
      multiplier,
      openQuantity: quantity,
      ...(entry === undefined ? {} : { entry }),
      ...(exit === undefined ? {} : { exit }),
      commissionUsd: (entry?.commissionUsd ?? 0) + (exit?.commissionUsd ?? 0),
      ...(realized === undefined ? {} : { realizedPnlUsd: realized }),
      maxProfitUsd: (economics?.maxProfit ?? 0) * multiplier * basisQty,
      maxLossUsd: (economics?.maxLoss ?? 0) * multiplier * basisQty,
      breakeven: economics?.breakeven ?? 0,
      ...(record.entryUnderlyingPrice === undefined ? {} : { entryUnderlyingPrice: record.entryUnderlyingPrice }),
      ...(record.preview === undefined ? {} : { preview: record.preview }),
      ...(record.phase === TradePhase.REJECTED && record.rejection !== undefined ? { rejection: record.rejection } : {}),
      ...(record.exitInfo === undefined ? {} : { exitInfo: create(ExitInfoSchema, { reason: record.exitInfo.reason, message: record.exitInfo.message, at: timestampFromMs(record.exitInfo.at) }) }),
    });
  }

  #walkState(record: SpreadRecord, action: OrderAction): WalkState | undefined {
    const run = record.walks.get(action);
    if (run === undefined) return undefined;
    return create(WalkStateSchema, {
      step: run.step,
      steps: run.plan.prices.length - 1,
      startPrice: run.plan.start,
      currentPrice: run.plan.prices[run.step] ?? run.plan.start,
      targetPrice: run.plan.target,
      ...(run.nextAt === undefined ? {} : { nextStepAt: timestampFromMs(run.nextAt) }),
      exhausted: run.exhausted,
    });
  }

  #startWalk(record: SpreadRecord, action: OrderAction, start: number, natural: number | undefined, walk: { steps: number; everyMs: number }): void {
    const legs = record.legs;
    if (legs === undefined) {
      this.#log(record, "walk not started: legs unknown", { decision: "no-walk" });
      return;
    }
    if (natural === undefined) {
      // No natural price yet (the legs' quotes were not two-sided): hold the start price, ask for
      // quotes again at every step, and still give up (cancel) at the end of the walk — an order
      // must never rest unwatched just because a quote was late.
      const hold: WalkPlan = { start, target: start, prices: Array.from({ length: walk.steps + 1 }, () => start) };
      const run: WalkRun = { plan: hold, naturalKnown: false, everyMs: walk.everyMs, step: 0, nextAt: undefined, exhausted: false, timer: undefined };
      record.walks.set(action, run);
      this.#log(record, "walk waits for quotes: natural price unknown; holding the price, cancelling at the end if unfilled", { decision: "walk-hold", everyMs: walk.everyMs });
      this.#scheduleWalk(record, action, run);
      return;
    }
    const plan = this.#planFor(record, action, start, natural, walk.steps, legs.tick);
    const run: WalkRun = { plan, naturalKnown: true, everyMs: walk.everyMs, step: 0, nextAt: undefined, exhausted: false, timer: undefined };
    record.walks.set(action, run);
    this.#log(record, "walk planned", { decision: "walk", action: OrderAction[action], prices: plan.prices, natural, everyMs: walk.everyMs });
    this.#scheduleWalk(record, action, run);
  }

  #planFor(record: SpreadRecord, action: OrderAction, start: number, natural: number, steps: number, tick: number): WalkPlan {
    const receiving = (action === OrderAction.BUY) === record.trade.credit;
    return planWalk({ start, natural, steps, tick, width: spreadWidth(record.trade.spread), receiving });
  }

  #scheduleWalk(record: SpreadRecord, action: OrderAction, run: WalkRun): void {
    if (this.#closed) return;
    run.nextAt = this.#deps.clock.now() + run.everyMs;
    run.timer = this.#deps.clock.setTimer(run.everyMs, () => {
      void this.#locked(record.trade.tradeId, () => this.#walkStep(record, action, run)).catch((error: unknown) => {
        this.#deps.logger.warn({ trade: record.trade.tradeId, err: error }, "walk step failed; the order stays at its last price");
        run.nextAt = undefined;
      });
    });
  }

  async #walkStep(record: SpreadRecord, action: OrderAction, run: WalkRun): Promise<void> {
    if (this.#closed || record.walks.get(action) !== run) return;
    await this.#refresh(record);
    const order = orderOf(record, action);
    if (order === undefined || !isWorking(order)) { run.nextAt = undefined; return; }
    const steps = run.plan.prices.length - 1;
    if (run.step >= steps) {
      run.exhausted = true;
      run.nextAt = undefined;
      this.#deps.metrics.walks.inc({ outcome: "exhausted" });
      this.#log(record, "walk exhausted: cancelling the rest", { decision: "cancel", orderId: order.orderId, steps });
      const answer = await this.#deps.gateway.cancelOrder({ target: { case: "orderId", value: order.orderId } }, this.#call());
      this.#apply(record, answer.orders);
      return;
    }
    if (this.#deps.killSwitch.engaged) {
      run.nextAt = undefined;
      this.#log(record, "walk stopped: kill switch engaged", { decision: "hold-price" });
      return;
    }
    const legs = record.legs;
    if (legs === undefined) return;
    if (!run.naturalKnown) {
      const quotes = await this.#quotes(record.trade, legs);
      const natural = quotes === undefined ? undefined : action === OrderAction.BUY ? quotes.open.natural : quotes.close.natural;
      if (natural === undefined) {
        // Still no natural: this step passes at the held price; the end of the walk still cancels.
        run.step += 1;
        this.#log(record, "walk step held: natural price still unknown", { decision: "hold-price", step: run.step, steps });
        this.#scheduleWalk(record, action, run);
        return;
      }
      run.plan = this.#planFor(record, action, run.plan.start, natural, steps, legs.tick);
      run.naturalKnown = true;
      this.#log(record, "walk planned (quotes arrived)", { decision: "walk", action: OrderAction[action], prices: run.plan.prices, natural, fromStep: run.step });
    }
    const next = run.plan.prices[run.step + 1] ?? run.plan.target;
    const signed = brokerLimit(record.trade, next, legs.tick, "walk");
    this.#log(record, "walk step", { decision: "modify", step: run.step + 1, steps, premium: next, brokerLimitPrice: signed });
    const answer = await this.#deps.gateway.modifyOrder({ orderId: order.orderId, limitPrice: signed }, this.#call());
    run.step += 1;
    this.#deps.metrics.walks.inc({ outcome: "step" });
    if (answer.order !== undefined) this.#apply(record, [answer.order]);
    this.#scheduleWalk(record, action, run);
    const state = this.#walkState(record, action);
    if (state !== undefined) this.#emit(record, { case: "walkStep", value: state });
  }

  /**
   * The legs' contract details: from the day's cache, else gateway ResolveContract (both legs at
   * once). Every answer, cached or not, is checked against the trade, so a cached con id can
   * never stand in for another option.
   */
  async #resolveLegs(trade: ValidTrade, field = "trade"): Promise<ResolvedLegs> {
    const day = exchangeDate(this.#deps.clock.now());
    const resolve = async (conId: number, strike: number, field: string): Promise<ContractDetails> => {
      const key = ContractCache.key(conId, trade.underlying, trade.expiry, strike, trade.right);
      let details = this.#contracts.get(key, day);
      if (details === undefined) {
        let answer;
        try {
          answer = await this.#deps.gateway.resolveContract({
            contract: conId !== 0 ? { conId } : { symbol: trade.underlying, secType: SecType.OPTION, expiry: trade.expiry, strike, right: trade.right, exchange: "SMART", currency: "USD" },
          }, this.#call());
        } catch (error) {
          // No such listed option is a wrong request field, not a missing resource of ours.
          if (error instanceof ConnectError && error.code === Code.NotFound) throw invalidArgument(field, "a listed option", conId !== 0 ? conId : strike);
          throw error;
        }
        const { contracts, ambiguous } = answer;
        details = contracts[0];
        if (details === undefined || ambiguous) throw invalidArgument(field, "a leg that resolves to exactly one listed option", conId !== 0 ? conId : strike);
      }
      if (details.secType !== SecType.OPTION || details.symbol !== trade.underlying || details.expiry !== trade.expiry || details.right !== trade.right || Math.abs(details.strike - strike) > 1e-9) {
        throw invalidArgument(field, `the ${trade.underlying} ${trade.expiry} ${strike} option of the spread`, conId !== 0 ? conId : strike);
      }
      this.#contracts.set(key, day, details);
      this.#contracts.set(ContractCache.key(details.conId, "", 0, 0, 0), day, details);
      return details;
    };
    const [short, long] = await Promise.all([
      resolve(trade.shortConId, trade.shortStrike, `${field}.${trade.shortConId !== 0 ? "short_con_id" : "short_strike"}`),
      resolve(trade.longConId, trade.longStrike, `${field}.${trade.longConId !== 0 ? "long_con_id" : "long_strike"}`),
    ]);
    if (!(short.multiplier > 0) || short.multiplier !== long.multiplier) throw failedPrecondition(`legs have no common multiplier (${short.multiplier}, ${long.multiplier})`);
    const tick = Math.max(short.minTick, long.minTick);
    if (!(tick > 0)) throw failedPrecondition("legs have no minimum tick in their contract details");
    return { shortConId: short.conId, longConId: long.conId, multiplier: short.multiplier, tick };
  }

  /** Opening and closing natural/mid from the legs' quotes; undefined without two-sided quotes. */
  async #quotes(trade: ValidTrade, legs: ResolvedLegs): Promise<LegQuotes | undefined> {
    try {
      const { quotes } = await this.#deps.gateway.getQuotes({ contracts: [{ conId: legs.shortConId }, { conId: legs.longConId }] }, this.#call());
      const s = quotes[0];
      const l = quotes[1];
      if (s?.bid === undefined || s.ask === undefined || l?.bid === undefined || l.ask === undefined) return undefined;
      if (!(s.bid >= 0 && s.ask >= s.bid && l.bid >= 0 && l.ask >= l.bid)) return undefined;
      const open = spreadQuote(trade.spread, { bid: s.bid, ask: s.ask }, { bid: l.bid, ask: l.ask });
      // Closing crosses the other sides: buy back the short at its ask, sell the long at its bid.
      const closeNatural = trade.credit ? s.ask - l.bid : l.bid - s.ask;
      return { open, close: { natural: closeNatural, mid: open.mid } };
    } catch (error) {
      this.#deps.logger.warn({ trade: trade.tradeId, err: error }, "quotes unavailable");
      return undefined;
    }
  }

  async #underlyingPrice(trade: ValidTrade): Promise<number | undefined> {
    try {
      const { quotes } = await this.#deps.gateway.getQuotes({ contracts: [{ symbol: trade.underlying, secType: SecType.STOCK, exchange: "SMART", currency: "USD" }] }, this.#call());
      const q = quotes[0];
      if (q?.bid !== undefined && q.ask !== undefined) return (q.bid + q.ask) / 2;
      return q?.last ?? q?.mark;
    } catch (error) {
      this.#deps.logger.warn({ trade: trade.tradeId, err: error }, "underlying quote unavailable");
      return undefined;
    }
  }

  /**
   * The underlying at the entry fill time of a spread adopted already filled: the close of the
   * underlying's 1-minute TRADES bar holding the earliest opening execution (at most a minute
   * off). Undefined when the fill time or the bars are not available.
   */
  async #underlyingAtEntry(record: SpreadRecord): Promise<number | undefined> {
    const times = (record.entry?.executions ?? []).flatMap((e) => (e.time === undefined ? [] : [timestampMs(e.time)]));
    if (times.length === 0) return undefined;
    const filledAt = Math.min(...times);
    try {
      const { bars } = await this.#deps.gateway.getHistoricalBars({
        contract: { symbol: record.trade.underlying, secType: SecType.STOCK, exchange: "SMART", currency: "USD" },
        endTime: timestampFromMs(filledAt + 60_000),
        span: { count: 1800, unit: HistorySpanUnit.SECONDS },
        barSize: BarSize.BAR_SIZE_1_MINUTE,
        whatToShow: WhatToShow.TRADES,
        regularHoursOnly: false,
      }, this.#call());
      const bar = bars.filter((b) => b.time !== undefined && timestampMs(b.time) <= filledAt).at(-1);
      if (bar === undefined || !(bar.close > 0)) return undefined;
      this.#log(record, "stop-loss anchor recovered from bars", { decision: "anchor", filledAt: new Date(filledAt).toISOString(), barTime: bar.time === undefined ? undefined : new Date(timestampMs(bar.time)).toISOString(), price: bar.close });
      return bar.close;
    } catch (error) {
      this.#deps.logger.warn({ trade: record.trade.tradeId, err: error }, "1-minute bars unavailable; stop-loss anchor unknown");
      return undefined;
    }
  }

  async #atr(trade: ValidTrade): Promise<number | undefined> {
    try {
      const { bars } = await this.#deps.gateway.getHistoricalBars({
        contract: { symbol: trade.underlying, secType: SecType.STOCK, exchange: "SMART", currency: "USD" },
        span: { count: 2, unit: HistorySpanUnit.MONTHS },
        barSize: BarSize.BAR_SIZE_1_DAY,
        whatToShow: WhatToShow.TRADES,
        regularHoursOnly: true,
      }, this.#call());
      const values = coreAtr(bars.map((b) => b.high), bars.map((b) => b.low), bars.map((b) => b.close), 14);
      const last = values.at(-1);
      return last !== undefined && Number.isFinite(last) ? last : undefined;
    } catch (error) {
      this.#deps.logger.warn({ trade: trade.tradeId, err: error }, "daily bars unavailable; ATR unknown");
      return undefined;
    }
  }

  /** Follows gateway order events of every tracked trade id and refreshes the affected spread. */
  async #pumpEvents(): Promise<void> {
    while (!this.#closed) {
      try {
        for await (const event of this.#deps.gateway.streamOrderEvents({ orderRefs: [] }, { signal: this.#pump.signal })) {
          const record = this.#records.get(event.orderRef);
          if (record === undefined) continue;
          if (event.event.case === "error" && !event.event.value.warning) this.#emit(record, { case: "brokerMessage", value: event.event.value });
          // A status the record already shows (IB repeats them; a placement's answer carries the
          // first) changes nothing: no ListOrders for it. Everything else is read again.
          if (event.event.case === "status" && statusKnown(record, event.orderId, event.event.value)) continue;
          this.#refreshSoon(record);
        }
      } catch (error) {
        if (this.#pump.signal.aborted || (error instanceof ConnectError && error.code === Code.Canceled)) return;
        this.#deps.logger.warn({ err: error }, "gateway order event stream broke; reconnecting");
      }
      await this.#deps.clock.sleep(1000, this.#pump.signal);
    }
  }

  /**
   * A refresh after an order event. A burst of events (openOrder, status, leg executions,
   * commissions) costs at most two ListOrders: the one in flight and one more after it, which
   * sees everything that arrived meanwhile.
   */
  #refreshSoon(record: SpreadRecord): void {
    if (record.refreshing !== undefined) {
      record.refreshAgain = true;
      return;
    }
    // Read through a function: the flag changes while #refresh awaits.
    const again = (): boolean => record.refreshAgain && !this.#closed;
    const run = async (): Promise<void> => {
      do {
        record.refreshAgain = false;
        await this.#refresh(record);
      } while (again());
    };
    record.refreshing = run()
      .catch((error: unknown) => { this.#deps.logger.debug({ err: error }, "refresh after an order event failed"); })
      .finally(() => { record.refreshing = undefined; });
  }

  #log(record: SpreadRecord, msg: string, fields: Record<string, unknown>): void {
    this.#deps.logger.info({ trade: record.trade.tradeId, strategy: record.trade.strategyRef, ...fields }, msg);
  }
}

/** True when the record already holds order `orderId` with this status and filled quantity. */
function statusKnown(record: SpreadRecord, orderId: number, update: OrderStatusUpdate): boolean {
  const known = [record.entry, record.exit].find((o) => o !== undefined && o.orderId === orderId);
  return known !== undefined && known.status === update.status && Math.round(known.filledQuantity) === Math.round(update.filledQuantity);
}

/** The record's opening (BUY) or closing (SELL) order as last applied. */
function orderOf(record: SpreadRecord, action: OrderAction): BrokerOrder | undefined {
  return action === OrderAction.BUY ? record.entry : record.exit;
}

/** The newest order of the trade id with the action (working ones first, as ListOrders sorts them). */
function pick(orders: readonly BrokerOrder[], action: OrderAction, current?: BrokerOrder): BrokerOrder | undefined {
  const matching = orders.filter((o) => o.order?.action === action);
  if (current !== undefined) {
    const same = matching.find((o) => o.orderId === current.orderId || (o.permId !== "0" && o.permId === current.permId));
    if (same !== undefined) return same;
  }
  return matching[0];
}

const NEW_YORK_DATE = new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York", year: "numeric", month: "2-digit", day: "2-digit" });

/** The exchange's (America/New_York) date of an instant, YYYY-MM-DD; never the machine's zone. */
export function exchangeDate(ms: number): string {
  return NEW_YORK_DATE.format(ms);
}

function validateWalk(walk: PriceWalk | undefined, field: string): { steps: number; everyMs: number } | undefined {
  if (walk === undefined || walk.steps === 0) return undefined;
  const every = walk.every;
  const everyMs = every === undefined ? 0 : Number(every.seconds) * 1000 + Math.floor(every.nanos / 1e6);
  if (walk.steps > 20) throw invalidArgument(`${field}.steps`, "0–20 moves", walk.steps);
  if (!(everyMs >= 100 && everyMs <= 3_600_000)) throw invalidArgument(`${field}.every`, "a duration from 100ms to 1h", every === undefined ? "unset" : `${everyMs}ms`);
  return { steps: walk.steps, everyMs };
}

function specOf(trade: ValidTrade): TradeSpec {
  return {
    $typeName: "spreadops.v1.TradeSpec",
    tradeId: trade.tradeId, strategyRef: trade.strategyRef, underlying: trade.underlying, kind: kindOf(trade), expiry: trade.expiry,
    shortStrike: trade.shortStrike, longStrike: trade.longStrike, quantity: trade.quantity, limitPrice: trade.limitPrice, mode: trade.mode,
    shortConId: trade.shortConId, longConId: trade.longConId, nonGuaranteed: trade.nonGuaranteed,
  };
}

function kindOf(trade: ValidTrade): TradeSpec["kind"] {
  switch (trade.kind) {
    case "bullPut": return SpreadKind.BULL_PUT;
    case "bearCall": return SpreadKind.BEAR_CALL;
    case "bullCall": return SpreadKind.BULL_CALL;
    case "bearPut": return SpreadKind.BEAR_PUT;
  }
}

/** Natural and mid into a preview, or the NO_QUOTE warning when a leg had no two-sided quote. */
function fillPreviewQuotes(preview: Preview, quotes: LegQuotes | undefined): void {
  if (quotes === undefined) {
    if (!preview.warnings.some((w) => w.code === PreviewWarningCode.NO_QUOTE)) {
      preview.warnings.push(create(PreviewWarningSchema, { code: PreviewWarningCode.NO_QUOTE, message: "a leg has no two-sided quote" }));
    }
    return;
  }
  preview.naturalPrice = quotes.open.natural;
  preview.midPrice = quotes.open.mid;
}

/** A promise whose outcome can also be read synchronously once it has settled (rejections are observed). */
function settleLater<T>(promise: Promise<T>): { readonly promise: Promise<T>; settled(): { readonly value: T } | undefined } {
  let outcome: { readonly value: T } | undefined;
  promise.then((value) => { outcome = { value }; }, () => undefined);
  return { promise, settled: () => outcome };
}
