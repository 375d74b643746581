// Test-only: in-memory strategy, execution and gateway services with the contracts' semantics that
// the controller relies on (PlaceSpread idempotent by trade id, NotFound for unknown ids, the
// event stream), plus switches for outages and refusals.
import { clone, create } from "@bufbuild/protobuf";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import type { CallOptions } from "@connectrpc/connect";
import type { EvaluateRequest, ExitDecision, ExitReason, Proposal, SpreadOrder, StreamSpreadEventsRequestSchema, StreamSpreadEventsResponse } from "@spreadops/api";
import {
  CancelSpreadRequestSchema, CloseSpreadRequestSchema, ComboOrderStateSchema, ConnectionState, EvaluateExitsRequestSchema, EvaluateRequestSchema, EvaluateResponseSchema,
  ExitAction, ExitDecisionSchema, ExitInfoSchema, ExitMetricsSchema, GetConnectionStatusResponseSchema, GetSpreadRequestSchema, LegFillSchema, OrderAction,
  PlaceSpreadRequestSchema, PreviewSchema, PreviewSpreadRequestSchema, ProposalSchema, SpreadKind, SpreadOrderSchema, StreamSpreadEventsResponseSchema,
  TradePhase, TradingMode, ValidateStrategyRequestSchema, ValidateStrategyResponseSchema,
} from "@spreadops/api";
import type { ExecutionPort, GatewayPort, StrategyPort } from "../ports.js";

const unavailable = (what: string): ConnectError => new ConnectError(`${what}: service unavailable`, Code.Unavailable);

/** A proposal of a bull put on `symbol` (expiry 2026-04-17, 580/575, limit 1.25). */
export function proposal(strategyRef: string, symbol = "SPY", date = 20260310, quantity = 1): Proposal {
  const key = `${symbol} 20260417 P 580/575`;
  return create(ProposalSchema, {
    proposalKey: `${strategyRef}/${key}/${date}`,
    symbol,
    quantity,
    riskUsedUsd: 375 * quantity,
    reason: `RSI(14) 27 < 30 → bull put ${symbol}`,
    candidate: {
      key, underlyingSymbol: symbol, kind: SpreadKind.BULL_PUT, expiry: 20260417, limitPrice: 1.25, score: 0.7,
      shortLeg: { conId: 1001, strike: 580, action: OrderAction.SELL }, longLeg: { conId: 1002, strike: 575, action: OrderAction.BUY },
    },
  });
}

export class FakeStrategyService implements StrategyPort {
  evaluateCalls: EvaluateRequest[] = [];
  validateCalls = 0;
  violations: { field: string; message: string }[] = [];
  /** Proposals of the next evaluations, by strategy ref; default one SPY proposal. */
  proposals: (ref: string) => Proposal[] = (ref) => [proposal(ref)];
  dailyLossBreached = false;
  down = false;

  validateStrategy(request: MessageInitShape<typeof ValidateStrategyRequestSchema>, _options?: CallOptions) {
    create(ValidateStrategyRequestSchema, request);
    this.validateCalls++;
    if (this.down) return Promise.reject(unavailable("ValidateStrategy"));
    return Promise.resolve(create(ValidateStrategyResponseSchema, { valid: this.violations.length === 0, violations: this.violations }));
  }

  evaluate(request: MessageInitShape<typeof EvaluateRequestSchema>, _options?: CallOptions) {
    const req = create(EvaluateRequestSchema, request);
    this.evaluateCalls.push(req);
    if (this.down) return Promise.reject(unavailable("Evaluate"));
    const proposals = this.dailyLossBreached ? [] : this.proposals(req.strategyRef);
    return Promise.resolve(create(EvaluateResponseSchema, {
      asOf: req.asOf, inTradingWindow: true, proposals,
      symbols: [{ symbol: "SPY", inUniverse: true, entryAgreed: true, topCandidates: proposals.flatMap((p) => (p.candidate === undefined ? [] : [p.candidate])) }],
      risk: { dailyLossBreached: this.dailyLossBreached, dayPnlUsd: req.riskContext?.dayPnlUsd ?? 0 },
    }));
  }
}

interface Spread {
  order: SpreadOrder;
  automatic: boolean;
}

/** An execution service over an imaginary broker: orders fill when the test says. */
export class FakeExecutionService implements ExecutionPort {
  readonly spreads = new Map<string, Spread>();
  /** Distinct opening orders sent to the "broker" (a second PlaceSpread of an id adopts). */
  ordersSent = 0;
  placeCalls = 0;
  previewCalls = 0;
  cancelCalls: string[] = [];
  closeCalls: { tradeId: string; reason: ExitReason }[] = [];
  exitCalls = 0;
  down = false;
  refusePlacement: string | undefined;
  exitDecision: ExitDecision = create(ExitDecisionSchema, { action: ExitAction.HOLD, message: "no exit rule triggered", metrics: { unrealizedPnlUsd: 12.5 } });
  /** What the imaginary broker still lists by orderRef after the service forgot it. */
  readonly #broker = new Map<string, Spread>();
  /** A restart of the service: it forgets every spread; the broker still lists their orders. */
  forgetAll(): void {
    for (const [id, spread] of this.spreads) this.#broker.set(id, spread);
    this.spreads.clear();
  }
  /** The broker no longer lists the forgotten orders (e.g. a previous session's, on a fresh simulator). */
  loseBrokerOrders(): void {
    this.#broker.clear();
  }
  #nextOrderId = 100;
  readonly #listeners = new Set<(event: StreamSpreadEventsResponse) => void>();

  previewSpread(request: MessageInitShape<typeof PreviewSpreadRequestSchema>, _options?: CallOptions) {
    create(PreviewSpreadRequestSchema, request);
    this.previewCalls++;
    if (this.down) return Promise.reject(unavailable("PreviewSpread"));
    return Promise.resolve({
      $typeName: "spreadops.v1.PreviewSpreadResponse" as const,
      preview: create(PreviewSchema, { initMargin: 500, maintMargin: 500, commissionUsd: 2.6, maxProfitUsd: 125, maxLossUsd: 375, breakeven: 578.75, automaticExecutionAllowed: true, multiplier: 100 }),
    });
  }

  placeSpread(request: MessageInitShape<typeof PlaceSpreadRequestSchema>, _options?: CallOptions) {
    const req = create(PlaceSpreadRequestSchema, request);
    this.placeCalls++;
    if (this.down) return Promise.reject(unavailable("PlaceSpread"));
    const tradeId = req.trade?.tradeId ?? "";
    // As the real service: the broker is asked first, an order carrying the id is adopted.
    const atBroker = this.#broker.get(tradeId);
    if (atBroker !== undefined) {
      this.spreads.set(tradeId, atBroker);
      this.#broker.delete(tradeId);
    }
    const known = this.spreads.get(tradeId);
    if (known !== undefined) return Promise.resolve({ $typeName: "spreadops.v1.PlaceSpreadResponse" as const, order: known.order, adopted: true });
    if (req.adoptOnly) return Promise.reject(new ConnectError(`adopt_only: the broker lists no order carrying trade id ${tradeId}; nothing was sent`, Code.FailedPrecondition));
    if (this.refusePlacement !== undefined) return Promise.reject(new ConnectError(this.refusePlacement, Code.FailedPrecondition));
    this.ordersSent++;
    const order = create(SpreadOrderSchema, {
      tradeId, strategyRef: req.trade?.strategyRef ?? "", spec: req.trade, phase: TradePhase.SUBMITTED, shortConId: 1001, longConId: 1002, multiplier: 100,
      entry: { orderId: this.#nextOrderId++, permId: "900001", action: OrderAction.BUY, quantity: req.trade?.quantity ?? 1, limitPrice: req.trade?.limitPrice ?? 0 },
    });
    this.spreads.set(tradeId, { order, automatic: req.automatic });
    this.#emit(order);
    return Promise.resolve({ $typeName: "spreadops.v1.PlaceSpreadResponse" as const, order, adopted: false });
  }

  /** Whether the placement of `tradeId` was marked automatic. */
  automatic(tradeId: string): boolean | undefined {
    return this.spreads.get(tradeId)?.automatic;
  }

  getSpread(request: MessageInitShape<typeof GetSpreadRequestSchema>, _options?: CallOptions) {
    const req = create(GetSpreadRequestSchema, request);
    if (this.down) return Promise.reject(unavailable("GetSpread"));
    const spread = this.spreads.get(req.tradeId);
    if (spread === undefined) return Promise.reject(new ConnectError(`trade ${req.tradeId} not found`, Code.NotFound));
    return Promise.resolve({ $typeName: "spreadops.v1.GetSpreadResponse" as const, order: spread.order });
  }

  cancelSpread(request: MessageInitShape<typeof CancelSpreadRequestSchema>, _options?: CallOptions) {
    const req = create(CancelSpreadRequestSchema, request);
    this.cancelCalls.push(req.tradeId);
    if (this.down) return Promise.reject(unavailable("CancelSpread"));
    const spread = this.spreads.get(req.tradeId);
    if (spread === undefined) return Promise.reject(new ConnectError(`trade ${req.tradeId} not found`, Code.NotFound));
    const working = spread.order.phase === TradePhase.SUBMITTED;
    if (working) this.#update(req.tradeId, (o) => { o.phase = TradePhase.CANCELLED; });
    return Promise.resolve({ $typeName: "spreadops.v1.CancelSpreadResponse" as const, order: this.spreads.get(req.tradeId)?.order, cancelSent: working });
  }

  closeSpread(request: MessageInitShape<typeof CloseSpreadRequestSchema>, _options?: CallOptions) {
    const req = create(CloseSpreadRequestSchema, request);
    this.closeCalls.push({ tradeId: req.tradeId, reason: req.reason });
    if (this.down) return Promise.reject(unavailable("CloseSpread"));
    const spread = this.spreads.get(req.tradeId);
    if (spread === undefined) return Promise.reject(new ConnectError(`trade ${req.tradeId} not found`, Code.NotFound));
    if (spread.order.phase === TradePhase.CLOSING || spread.order.phase === TradePhase.CLOSED) {
      return Promise.resolve({ $typeName: "spreadops.v1.CloseSpreadResponse" as const, order: spread.order, adopted: true });
    }
    if (spread.order.phase !== TradePhase.OPEN) return Promise.reject(new ConnectError("only an open spread can be closed", Code.FailedPrecondition));
    const orderId = this.#nextOrderId++;
    this.#update(req.tradeId, (o) => {
      o.phase = TradePhase.CLOSING;
      o.exit = create(ComboOrderStateSchema, { orderId, action: OrderAction.SELL, quantity: 1, limitPrice: 0.6 });
      o.exitInfo = create(ExitInfoSchema, { reason: req.reason, message: req.message, at: timestampFromMs(Date.UTC(2026, 2, 10, 15)) });
    });
    return Promise.resolve({ $typeName: "spreadops.v1.CloseSpreadResponse" as const, order: this.spreads.get(req.tradeId)?.order, adopted: false });
  }

  evaluateExits(request: MessageInitShape<typeof EvaluateExitsRequestSchema>, _options?: CallOptions) {
    const req = create(EvaluateExitsRequestSchema, request);
    this.exitCalls++;
    if (this.down) return Promise.reject(unavailable("EvaluateExits"));
    if (!this.spreads.has(req.tradeId)) return Promise.reject(new ConnectError(`trade ${req.tradeId} not found`, Code.NotFound));
    return Promise.resolve({ $typeName: "spreadops.v1.EvaluateExitsResponse" as const, decision: this.exitDecision });
  }

  streamSpreadEvents(_request: MessageInitShape<typeof StreamSpreadEventsRequestSchema>, options?: CallOptions): AsyncIterable<StreamSpreadEventsResponse> {
    const listeners = this.#listeners;
    const signal = options?.signal;
    return {
      async *[Symbol.asyncIterator]() {
        const queue: StreamSpreadEventsResponse[] = [];
        let wake: (() => void) | undefined;
        const listener = (event: StreamSpreadEventsResponse): void => { queue.push(event); wake?.(); };
        listeners.add(listener);
        const onAbort = (): void => { wake?.(); };
        signal?.addEventListener("abort", onAbort);
        try {
          while (signal?.aborted !== true) {
            const next = queue.shift();
            if (next !== undefined) {
              yield next;
              continue;
            }
            await new Promise<void>((resolve) => { wake = resolve; });
            wake = undefined;
          }
        } finally {
          listeners.delete(listener);
          signal?.removeEventListener("abort", onAbort);
        }
      },
    };
  }

  /** Open streams (the controller's follower). */
  streams(): number {
    return this.#listeners.size;
  }

  /** The opening order fills completely at `price`. */
  fill(tradeId: string, price = 1.25): void {
    this.#update(tradeId, (o) => {
      const entry = o.entry ?? create(ComboOrderStateSchema);
      const quantity = entry.quantity;
      const time = timestampFromMs(Date.UTC(2026, 2, 10, 14, 30));
      Object.assign(entry, {
        filledQuantity: quantity, remainingQuantity: 0, avgFillPrice: price,
        legFills: [
          create(LegFillSchema, { execId: `${tradeId}-s`, conId: 1001, action: OrderAction.SELL, strike: 580, quantity, price: price + 2, time }),
          create(LegFillSchema, { execId: `${tradeId}-l`, conId: 1002, action: OrderAction.BUY, strike: 575, quantity, price: 2, time }),
        ],
      });
      Object.assign(o, { phase: TradePhase.OPEN, openQuantity: quantity, entryUnderlyingPrice: 590, entry, unrealizedPnlUsd: 0 });
    });
  }

  /** The opening order fills `filled` of its quantity and keeps working. */
  fillPartly(tradeId: string, filled: number): void {
    this.#update(tradeId, (o) => {
      const entry = o.entry ?? create(ComboOrderStateSchema);
      Object.assign(entry, { filledQuantity: filled, avgFillPrice: 1.25 });
      Object.assign(o, { phase: TradePhase.PARTIALLY_FILLED, openQuantity: filled, entry });
    });
  }

  /** The closing order fills; realized P&L as given. */
  fillClose(tradeId: string, realizedPnlUsd: number): void {
    this.#update(tradeId, (o) => {
      const exit = o.exit ?? create(ComboOrderStateSchema);
      Object.assign(exit, { filledQuantity: 1, avgFillPrice: 0.6 });
      Object.assign(o, { phase: TradePhase.CLOSED, openQuantity: 0, exit, realizedPnlUsd, unrealizedPnlUsd: undefined });
    });
  }

  /** The position moves: unrealized P&L as given. */
  mark(tradeId: string, unrealizedPnlUsd: number): void {
    this.#update(tradeId, (o) => { o.unrealizedPnlUsd = unrealizedPnlUsd; });
    const decision = clone(ExitDecisionSchema, this.exitDecision);
    decision.metrics = create(ExitMetricsSchema, { unrealizedPnlUsd });
    this.exitDecision = decision;
  }

  #get(tradeId: string): Spread {
    const spread = this.spreads.get(tradeId);
    if (spread === undefined) throw new Error(`no spread ${tradeId}`);
    return spread;
  }

  /** Changes a copy of the spread (answers already handed out stay as they were) and streams it. */
  #update(tradeId: string, change: (order: SpreadOrder) => void): void {
    const spread = this.#get(tradeId);
    const order = clone(SpreadOrderSchema, spread.order);
    change(order);
    spread.order = order;
    this.#emit(order);
  }

  #emit(order: SpreadOrder): void {
    const event = create(StreamSpreadEventsResponseSchema, { tradeId: order.tradeId, strategyRef: order.strategyRef, order });
    for (const listener of this.#listeners) listener(event);
  }
}

export class FakeGateway implements GatewayPort {
  connected = true;
  mode: TradingMode = TradingMode.PAPER;
  calls = 0;

  getConnectionStatus(_request?: object, _options?: CallOptions) {
    this.calls++;
    return Promise.resolve(create(GetConnectionStatusResponseSchema, {
      status: { state: this.connected ? ConnectionState.CONNECTED : ConnectionState.DISCONNECTED, mode: this.mode, accountMasked: "DU****567" },
    }));
  }
}
