import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import type {
  BrokerOrder, ExitDecision, IbError, Preview, PriceWalk, StreamSpreadEventsResponse, StrategyRisk, WalkState,
} from "@spreadops/api";
import {
  BarSize, ExitAction, ExitDecisionSchema, ExitInfoSchema, ExitReason, HistorySpanUnit, IbErrorSchema, OrderAction, OrderStatus,
  PreviewSchema, PreviewWarningCode, PriceEffect, SecType, SpreadKind, SpreadOrderSchema, StreamSpreadEventsResponseSchema, TradePhase,
  TradingMode, WalkStateSchema, WhatToShow,
} from "@spreadops/api";
import type { SpreadOrder } from "@spreadops/api";
import { SPREAD_KINDS, atr as coreAtr, daysToExpiry, roundToTick, spreadEconomics, spreadQuote, spreadWidth } from "@spreadops/core";
import type { CancelTimer, Clock, Logger } from "@spreadops/runtime";
import { DomainError, failedPrecondition, invalidArgument, notFound } from "@spreadops/runtime";
import { brokerLimit, comboOrder } from "./combo-order.js";
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
import type { PlaceSpreadRequest, CloseSpreadRequest, EvaluateExitsRequest, TradeSpec } from "@spreadops/api";

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
  readonly plan: WalkPlan;
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
  seenExecs: Set<string>;
  sentAt: Map<OrderAction, { ms: number; mid: number | undefined }>;
  filledObserved: Set<OrderAction>;
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
  #closed = false;

  constructor(deps: SpreadExecutorDeps, options: SpreadExecutorOptions) {
    this.#deps = deps;
    this.#options = options;
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
    return this.#preview({ ...trade, tradeId: trade.tradeId === "" ? `preview-${this.#deps.clock.now()}` : trade.tradeId }, legs);
  }

  async #preview(trade: ValidTrade, legs: ResolvedLegs): Promise<Preview> {
    const signed = brokerLimit(trade, trade.limitPrice, legs.tick, "trade.limit_price");
    const [{ result }, quotes] = await Promise.all([
      this.#deps.gateway.whatIfOrder({ order: comboOrder(trade, legs, OrderAction.BUY, signed) }, this.#call()),
      this.#quotes(trade, legs),
    ]);
    const economics = spreadEconomics(trade.spread, trade.limitPrice);
    const usd = legs.multiplier * trade.quantity;
    const warnings: { code: PreviewWarningCode; message: string }[] = [];
    const initMargin = result?.initMarginChange;
    if (initMargin === undefined || result?.maintMarginChange === undefined) warnings.push({ code: PreviewWarningCode.MARGIN_UNKNOWN, message: "IB did not return the margin; automatic execution is blocked" });
    if (result?.commission === undefined) warnings.push({ code: PreviewWarningCode.COMMISSION_UNKNOWN, message: "IB did not return the commission" });
    if ((result?.warningText ?? "") !== "") warnings.push({ code: PreviewWarningCode.BROKER_WARNING, message: result?.warningText ?? "" });
    const insufficient = result?.initMarginAfter !== undefined && result.equityWithLoanAfter !== undefined && result.initMarginAfter > result.equityWithLoanAfter;
    if (insufficient) warnings.push({ code: PreviewWarningCode.INSUFFICIENT_MARGIN, message: "initial margin after the order exceeds equity with loan" });
    if (quotes === undefined) warnings.push({ code: PreviewWarningCode.NO_QUOTE, message: "a leg has no two-sided quote" });
    return create(PreviewSchema, {
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
      ...(quotes === undefined ? {} : { naturalPrice: quotes.open.natural, midPrice: quotes.open.mid }),
      multiplier: legs.multiplier,
      warnings,
      automaticExecutionAllowed: initMargin !== undefined && !insufficient,
      ...(result === undefined ? {} : { brokerResult: result }),
      asOf: timestampFromMs(this.#deps.clock.now()),
    });
  }

  // ---------------------------------------------------------------- place

  /** Places the opening BUY of the combo, or adopts the order already carrying the trade id. */
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
      // Read-only calls run together (latency: each is a round trip through the gateway). The
      // legs are resolved speculatively; nothing is sent until every check below has passed.
      const legsLookup = this.#resolveLegs(trade);
      legsLookup.catch(() => undefined);
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
      this.#checkKillSwitch(trade.tradeId);
      const legs = await legsLookup;
      brokerLimit(trade, trade.limitPrice, legs.tick, "trade.limit_price");
      const record = known ?? this.#newRecord(trade);
      record.legs = legs;
      this.#records.set(trade.tradeId, record);
      const [preview, summary] = await Promise.all([this.#preview(trade, legs), this.#deps.gateway.getAccountSummary({}, this.#call())]);
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
      if (walk !== undefined && record.entry !== undefined && isWorking(record.entry)) {
        this.#startWalk(record, OrderAction.BUY, trade.limitPrice, preview.naturalPrice, walk);
      }
      return { order: this.#view(record), adopted: placed.adopted };
    });
  }

  // ---------------------------------------------------------------- get / list

  /** Current state of one spread, refreshed from the broker. */
  async get(tradeId: string): Promise<SpreadOrder> {
    const record = this.#record(tradeId);
    await this.#refresh(record);
    return this.#view(record);
  }

  /** Tracked spreads: non-terminal ones plus those that ended on the current day. */
  list(strategyRef: string, phases: readonly TradePhase[]): SpreadOrder[] {
    const dayStart = this.#deps.clock.now() - 24 * 3_600_000;
    return [...this.#records.values()]
      .filter((r) => strategyRef === "" || r.trade.strategyRef === strategyRef)
      .filter((r) => phases.length === 0 || phases.includes(r.phase))
      .filter((r) => !isTerminal(r.phase) || r.phaseSince >= dayStart)
      .map((r) => this.#view(r));
  }

  // ---------------------------------------------------------------- cancel / close

  /** Cancels the working order (opening or closing); filled quantity stays. */
  async cancel(tradeId: string, reason: string): Promise<{ order: SpreadOrder; cancelSent: boolean }> {
    const record = this.#record(tradeId);
    return this.#locked(tradeId, async () => {
      await this.#refresh(record);
      const working = [record.entry, record.exit].filter((o): o is BrokerOrder => o !== undefined && isWorking(o));
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
      if (walk !== undefined && record.exit !== undefined && isWorking(record.exit)) {
        this.#startWalk(record, OrderAction.SELL, premium, quotes?.close.natural, walk);
      }
      return { order: this.#view(record), adopted: placed.adopted };
    });
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
    if (record.entryUnderlyingPrice === undefined && underlyingPrice !== undefined) record.entryUnderlyingPrice = underlyingPrice;
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
    this.#record(tradeId).entryUnderlyingPrice = price;
  }

  // ---------------------------------------------------------------- internals

  #newRecord(trade: ValidTrade): SpreadRecord {
    return {
      trade, legs: undefined, localPhase: TradePhase.PROPOSED, phase: TradePhase.PROPOSED, phaseSince: this.#deps.clock.now(), adopted: false,
      entry: undefined, exit: undefined, walks: new Map(), preview: undefined, rejection: undefined, exitInfo: undefined,
      entryUnderlyingPrice: undefined, seenExecs: new Set(), sentAt: new Map(), filledObserved: new Set(),
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
        if (action === OrderAction.BUY && record.entryUnderlyingPrice === undefined) {
          // The stop-loss anchor: the underlying when the opening order filled (best effort).
          void this.#underlyingPrice(record.trade).then((price) => { record.entryUnderlyingPrice ??= price; });
        }
        const sent = record.sentAt.get(action);
        const label = { action: OrderAction[action] };
        if (sent !== undefined) {
          this.#deps.metrics.fillLatency.observe(label, Math.max(0, this.#deps.clock.now() - sent.ms) / 1000);
          if (sent.mid !== undefined && order.avgFillPrice !== undefined) {
            const fill = Math.abs(order.avgFillPrice);
            const receiving = (action === OrderAction.BUY) === record.trade.credit;
            this.#deps.metrics.slippage.observe(label, receiving ? sent.mid - fill : fill - sent.mid);
          }
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
    if (natural === undefined || legs === undefined) {
      this.#log(record, "walk not started: natural price unknown", { decision: "no-walk" });
      return;
    }
    const receiving = (action === OrderAction.BUY) === record.trade.credit;
    const plan = planWalk({ start, natural, steps: walk.steps, tick: legs.tick, width: spreadWidth(record.trade.spread), receiving });
    const run: WalkRun = { plan, everyMs: walk.everyMs, step: 0, nextAt: undefined, exhausted: false, timer: undefined };
    record.walks.set(action, run);
    this.#log(record, "walk planned", { decision: "walk", action: OrderAction[action], prices: plan.prices, natural, everyMs: walk.everyMs });
    this.#scheduleWalk(record, action, run);
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
    const order = action === OrderAction.BUY ? record.entry : record.exit;
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
    const next = run.plan.prices[run.step + 1] ?? run.plan.target;
    const legs = record.legs;
    if (legs === undefined) return;
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

  async #resolveLegs(trade: ValidTrade): Promise<ResolvedLegs> {
    const resolve = async (conId: number, strike: number, field: string) => {
      const { contracts, ambiguous } = await this.#deps.gateway.resolveContract({
        contract: conId !== 0 ? { conId } : { symbol: trade.underlying, secType: SecType.OPTION, expiry: trade.expiry, strike, right: trade.right, exchange: "SMART", currency: "USD" },
      }, this.#call());
      const details = contracts[0];
      if (details === undefined || ambiguous) throw invalidArgument(field, "a leg that resolves to exactly one listed option", conId !== 0 ? conId : strike);
      if (details.secType !== SecType.OPTION || details.symbol !== trade.underlying || details.expiry !== trade.expiry || details.right !== trade.right || Math.abs(details.strike - strike) > 1e-9) {
        throw invalidArgument(field, `the ${trade.underlying} ${trade.expiry} ${strike} option of the spread`, conId !== 0 ? conId : strike);
      }
      return details;
    };
    const [short, long] = await Promise.all([
      resolve(trade.shortConId, trade.shortStrike, "trade.short_con_id"),
      resolve(trade.longConId, trade.longStrike, "trade.long_con_id"),
    ]);
    if (!(short.multiplier > 0) || short.multiplier !== long.multiplier) throw failedPrecondition(`legs have no common multiplier (${short.multiplier}, ${long.multiplier})`);
    const tick = Math.max(short.minTick, long.minTick);
    if (!(tick > 0)) throw failedPrecondition("legs have no minimum tick in their contract details");
    return { shortConId: short.conId, longConId: long.conId, multiplier: short.multiplier, tick };
  }

  /** Opening and closing natural/mid from the legs' quotes; undefined without two-sided quotes. */
  async #quotes(trade: ValidTrade, legs: ResolvedLegs): Promise<{ open: { natural: number; mid: number }; close: { natural: number; mid: number } } | undefined> {
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
          void this.#refresh(record).catch((error: unknown) => { this.#deps.logger.debug({ err: error }, "refresh after an order event failed"); });
        }
      } catch (error) {
        if (this.#pump.signal.aborted || (error instanceof ConnectError && error.code === Code.Canceled)) return;
        this.#deps.logger.warn({ err: error }, "gateway order event stream broke; reconnecting");
      }
      await this.#deps.clock.sleep(1000, this.#pump.signal);
    }
  }

  #log(record: SpreadRecord, msg: string, fields: Record<string, unknown>): void {
    this.#deps.logger.info({ trade: record.trade.tradeId, strategy: record.trade.strategyRef, ...fields }, msg);
  }
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
