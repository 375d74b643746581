import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import type { EvaluateResponse, Proposal, StrategySpec as StrategySpecProto } from "@spreadops/api";
import type { ResourceStore, StrategyPhase, StrategyResource, StrategyStatus, TradeResource } from "@spreadops/resources";
import { API_VERSION, CrFieldError, STRATEGY, STRATEGY_FINALIZER, TRADE, apiVersionOf, isStoreError, toStrategySpecProto, tradeNameFor, tradeSpecFromProposal } from "@spreadops/resources";
import type { Clock, Logger } from "@spreadops/runtime";
import { parseDuration } from "@spreadops/runtime";
import type { BrokerView } from "./broker-status.js";
import { brokerCondition } from "./broker-status.js";
import type { ConditionUpdate } from "./conditions.js";
import { findCondition, setConditions } from "./conditions.js";
import type { ReconcileResult } from "./controller-loop.js";
import type { EventSink } from "./event-recorder.js";
import { objectKey } from "./informer.js";
import { APPROVAL_ANNOTATION, PROPOSAL_KEY_ANNOTATION, RISK_ANNOTATION, STRATEGY_GENERATION_ANNOTATION, STRATEGY_LABEL } from "./names.js";
import type { StrategyPort } from "./ports.js";
import { Reason, StrategyCondition, StrategyEvent, TradeEvent } from "./reasons.js";
import { classifyRpcError, rpcErrorMessage } from "./rpc-errors.js";
import { candidatesOf, scanMessage } from "./scan-report.js";
import { cents, sameStatus } from "./status-equality.js";
import type { StrategyFinalizer } from "./strategy-finalizer.js";
import type { TradeRollup } from "./trade-rollup.js";
import { rollUp, tradesOnPreviousSpec } from "./trade-rollup.js";
import { inTradingWindow, nextLocalMidnight, nextWindowOpen } from "./trading-window.js";

/** Reads Strategies from the synced cache. */
export interface StrategyCache {
  get(key: string): StrategyResource | undefined;
}

/** The Trades whose controller ownerReference names a Strategy uid, from the synced cache. */
export interface OwnedTrades {
  ownedBy(uid: string): TradeResource[];
}

export interface StrategyReconcilerDeps {
  readonly store: Pick<ResourceStore, "patch" | "updateStatus" | "create">;
  readonly strategies: StrategyCache;
  readonly trades: OwnedTrades;
  readonly strategy: StrategyPort;
  readonly broker: { get(): Promise<BrokerView> };
  readonly finalizer: Pick<StrategyFinalizer, "finalize">;
  readonly events: EventSink;
  readonly clock: Pick<Clock, "now">;
  readonly logger: Logger;
  /** Right before creating Trades: false when leadership was lost meanwhile. */
  readonly isLeader?: () => boolean;
}

export interface StrategyReconcilerOptions {
  /** How often a Strategy is looked at even when nothing changed (conditions, P&L); default 60 s. */
  readonly statusRefreshMs?: number;
  /** Retry interval while the broker is disconnected; default 30 s. */
  readonly brokerRetryMs?: number;
  /** Deadline of one Evaluate (a whole scan); default 2 min. */
  readonly evaluateTimeoutMs?: number;
  /** Deadline of ValidateStrategy; default 15 s. */
  readonly rpcTimeoutMs?: number;
}

/** A field and what is wrong with it. */
interface Violation {
  readonly field: string;
  readonly message: string;
}

/** What one reconcile decided, before it is written. */
interface Decision {
  phase: StrategyPhase;
  message: string;
  conditions: ConditionUpdate[];
  nextScanTime: number | undefined;
  lastScanTime?: number;
  candidates?: StrategyStatus["candidates"];
  requeueAfterMs: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const DEFAULT_SCAN_INTERVAL_MS = 5 * 60_000;

/**
 * The Strategy reconciler: finalizer, validation (phase Invalid, no retries until the spec
 * changes), pause, the daily loss halt, the trading window and the scan schedule, Evaluate →
 * Trades (deterministic names, owner reference, auto approval), roll-ups and conditions. It
 * writes only the Strategy's status and creates Trades; orders are the Trade reconciler's.
 */
export class StrategyReconciler {
  readonly #deps: StrategyReconcilerDeps;
  readonly #statusRefreshMs: number;
  readonly #brokerRetryMs: number;
  readonly #evaluateTimeoutMs: number;
  readonly #rpcTimeoutMs: number;

  constructor(deps: StrategyReconcilerDeps, options: StrategyReconcilerOptions = {}) {
    this.#deps = deps;
    this.#statusRefreshMs = options.statusRefreshMs ?? 60_000;
    this.#brokerRetryMs = options.brokerRetryMs ?? 30_000;
    this.#evaluateTimeoutMs = options.evaluateTimeoutMs ?? 120_000;
    this.#rpcTimeoutMs = options.rpcTimeoutMs ?? 15_000;
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult | undefined> {
    const cached = this.#deps.strategies.get(key);
    if (cached?.spec === undefined) return undefined;
    if (cached.metadata.deletionTimestamp !== undefined) return this.#deps.finalizer.finalize(cached, signal);
    const strategy = await this.#ensureFinalizer(cached);
    const generation = strategy.metadata.generation ?? 1;
    const previous = strategy.status ?? {};
    const generationChanged = previous.observedGeneration !== generation;
    // An invalid spec stays invalid until someone changes it: no calls, no retries, no events.
    if (!generationChanged && previous.phase === "Invalid") return undefined;

    let specProto: StrategySpecProto;
    try {
      const violations = generationChanged ? await this.#validate(strategy, signal) : [];
      if (violations.length > 0) {
        await this.#writeInvalid(strategy, violations);
        return undefined;
      }
      specProto = toStrategySpecProto(strategy.spec as NonNullable<StrategyResource["spec"]>);
    } catch (error) {
      if (error instanceof InvalidMapping || error instanceof CrFieldError) {
        await this.#writeInvalid(strategy, [error instanceof InvalidMapping ? error.violation : { field: error.field, message: error.message.replace(`${error.field}: `, "") }]);
        return undefined;
      }
      await this.#writeDegraded(strategy, Reason.StrategyServiceUnavailable, `cannot validate the spec: ${rpcErrorMessage(error)}`, false);
      throw error;
    }
    return this.#reconcileValid(strategy, specProto, generationChanged, signal);
  }

  async #reconcileValid(strategy: StrategyResource, specProto: StrategySpecProto, generationChanged: boolean, signal: AbortSignal): Promise<ReconcileResult> {
    const spec = strategy.spec as NonNullable<StrategyResource["spec"]>;
    const now = this.#deps.clock.now();
    const generation = strategy.metadata.generation ?? 1;
    const previous = strategy.status ?? {};
    const trades = this.#deps.trades.ownedBy(strategy.metadata.uid ?? "");
    const rollup = rollUp(trades, now, spec.schedule.timezone);
    const broker = await this.#deps.broker.get();
    const inWindow = inTradingWindow(now, spec.schedule);
    const intervalMs = parseDuration(spec.schedule.scanInterval) ?? DEFAULT_SCAN_INTERVAL_MS;
    const resumed = previous.phase === "Paused" && spec.paused !== true;
    const due = generationChanged || resumed || previous.nextScanTime === undefined || Date.parse(previous.nextScanTime) <= now;
    const maxDailyLoss = spec.risk.maxDailyLoss;
    const lossHit = maxDailyLoss !== undefined && rollup.dayPnl <= -maxDailyLoss;
    const slotsFull = spec.risk.maxOpenTrades !== undefined && rollup.openTrades >= spec.risk.maxOpenTrades;
    const observed = { observedGeneration: generation };

    const conditions: ConditionUpdate[] = [
      brokerCondition(broker, spec.mode, generation),
      inWindow
        ? { type: StrategyCondition.InTradingWindow, status: "True", reason: Reason.InsideWindow, message: `inside ${windowText(spec)}`, ...observed }
        : { type: StrategyCondition.InTradingWindow, status: "False", reason: Reason.OutsideWindow, message: `outside ${windowText(spec)}; opens ${iso(nextWindowOpen(now, spec.schedule))}`, ...observed },
      riskCondition(rollup, spec, lossHit, slotsFull, generation),
      driftCondition(tradesOnPreviousSpec(trades, spec, generation), generation),
    ];
    const brokerOk = findLast(conditions, StrategyCondition.BrokerConnected)?.status === "True";
    let decision: Decision;
    let failure: Error | undefined;
    if (spec.paused === true) {
      decision = {
        phase: "Paused", conditions, nextScanTime: undefined, requeueAfterMs: this.#statusRefreshMs,
        message: `paused: no new entries; ${rollup.openTrades} open trade(s) keep their exits`,
      };
      decision.conditions.push({ type: StrategyCondition.Ready, status: "False", reason: Reason.Paused, message: decision.message, ...observed });
    } else if (lossHit) {
      decision = this.#halted(rollup, spec.risk.maxDailyLoss ?? 0, spec.schedule.timezone, conditions, now, generation);
    } else if (!brokerOk) {
      const broken = findLast(conditions, StrategyCondition.BrokerConnected);
      decision = {
        phase: "Degraded", conditions, nextScanTime: previous.nextScanTime === undefined ? now : Date.parse(previous.nextScanTime),
        requeueAfterMs: this.#brokerRetryMs, message: `no scans while the broker is not available: ${broken?.message ?? ""}`,
      };
      decision.conditions.push({ type: StrategyCondition.Ready, status: "False", reason: broken?.reason ?? Reason.Disconnected, message: decision.message, ...observed });
    } else if (!inWindow) {
      const opens = nextWindowOpen(now, spec.schedule);
      decision = this.#active(conditions, opens, now, `waiting for the trading window (opens ${iso(opens)})`, generation);
    } else if (!due) {
      const next = Date.parse(previous.nextScanTime ?? iso(now));
      decision = this.#active(conditions, next, now, `next scan at ${iso(next)}`, generation);
    } else if (slotsFull) {
      decision = this.#active(conditions, now + intervalMs, now, `maxOpenTrades reached: no scan until a trade ends`, generation);
    } else {
      try {
        const outcome = await this.#scan(strategy, specProto, rollup, now, signal);
        if (outcome.response.risk?.dailyLossBreached === true) {
          decision = this.#halted(rollup, spec.risk.maxDailyLoss ?? 0, spec.schedule.timezone, conditions, now, generation, outcome.response.risk.dayPnlUsd);
        } else {
          const next = outcome.response.nextScanTime === undefined ? now + intervalMs : timestampMs(outcome.response.nextScanTime);
          decision = this.#active(conditions, next, now, `${outcome.message}; next scan at ${iso(next)}`, generation);
        }
        decision.lastScanTime = now;
        decision.candidates = candidatesOf(outcome.response);
      } catch (error) {
        if (classifyRpcError(error) === "invalid") {
          await this.#writeInvalid(strategy, [violationOf(rpcErrorMessage(error))]);
          return {};
        }
        failure = error instanceof Error ? error : new Error(String(error));
        const message = `scan failed: ${rpcErrorMessage(error)}`;
        await this.#deps.events.warning(strategy, StrategyEvent.ScanFailed, message);
        decision = { phase: "Degraded", conditions, nextScanTime: now, requeueAfterMs: this.#brokerRetryMs, message };
        decision.conditions.push({ type: StrategyCondition.Ready, status: "False", reason: Reason.StrategyServiceUnavailable, message, ...observed });
      }
    }
    await this.#write(strategy, decision, rollup, generation, now);
    if (failure !== undefined) throw failure;
    return { requeueAfterMs: Math.max(1_000, decision.requeueAfterMs) };
  }

  #active(conditions: ConditionUpdate[], nextScanTime: number, now: number, message: string, generation: number): Decision {
    conditions.push({ type: StrategyCondition.Ready, status: "True", reason: Reason.Scanning, message, observedGeneration: generation });
    return { phase: "Active", conditions, nextScanTime, message, requeueAfterMs: Math.min(this.#statusRefreshMs, nextScanTime - now) };
  }

  #halted(rollup: TradeRollup, maxDailyLoss: number, timeZone: string, conditions: ConditionUpdate[], now: number, generation: number, dayPnl = rollup.dayPnl): Decision {
    const resumes = nextLocalMidnight(now, timeZone);
    const message = `today's P&L ${cents(dayPnl)} USD reached maxDailyLoss ${maxDailyLoss} USD: no new entries until ${iso(resumes)}; open trades keep their exits`;
    const withRisk = conditions.filter((c) => c.type !== StrategyCondition.RiskBudgetAvailable);
    withRisk.push(
      { type: StrategyCondition.RiskBudgetAvailable, status: "False", reason: Reason.DailyLossLimitHit, message, observedGeneration: generation },
      { type: StrategyCondition.Ready, status: "False", reason: Reason.Halted, message, observedGeneration: generation },
    );
    // The next scan is tomorrow at the earliest: a breach reported by the strategy service is not re-asked every refresh.
    return { phase: "Halted", conditions: withRisk, nextScanTime: resumes, message, requeueAfterMs: Math.min(this.#statusRefreshMs, resumes - now) };
  }

  async #ensureFinalizer(strategy: StrategyResource): Promise<StrategyResource> {
    const finalizers = strategy.metadata.finalizers ?? [];
    if (finalizers.includes(STRATEGY_FINALIZER)) return strategy;
    return this.#deps.store.patch<StrategyResource>(
      STRATEGY, strategy.metadata.namespace, strategy.metadata.name,
      { metadata: { finalizers: [...finalizers, STRATEGY_FINALIZER] } },
      { resourceVersion: strategy.metadata.resourceVersion },
    );
  }

  async #validate(strategy: StrategyResource, signal: AbortSignal): Promise<Violation[]> {
    const spec = strategy.spec as NonNullable<StrategyResource["spec"]>;
    let proto: StrategySpecProto;
    try {
      proto = toStrategySpecProto(spec);
    } catch (error) {
      if (error instanceof CrFieldError) throw new InvalidMapping({ field: error.field, message: error.message.replace(`${error.field}: `, "") });
      throw error;
    }
    const response = await this.#deps.strategy.validateStrategy({ spec: proto }, { timeoutMs: this.#rpcTimeoutMs, signal });
    return response.valid ? [] : response.violations.map((v) => ({ field: v.field, message: v.message }));
  }

  async #writeInvalid(strategy: StrategyResource, violations: readonly Violation[]): Promise<void> {
    const now = this.#deps.clock.now();
    const generation = strategy.metadata.generation ?? 1;
    const message = violations.map((v) => (v.field === "" ? v.message : `${v.field}: ${v.message}`)).join("; ");
    const previous = strategy.status ?? {};
    const status: StrategyStatus = {
      ...previous,
      observedGeneration: generation,
      phase: "Invalid",
      message: `invalid spec: ${message}`,
      nextScanTime: undefined,
      conditions: setConditions(previous.conditions, [
        { type: StrategyCondition.Ready, status: "False", reason: Reason.InvalidSpec, message, observedGeneration: generation },
      ], now),
    };
    await this.#updateStatus(strategy, status);
    await this.#deps.events.warning(strategy, StrategyEvent.Invalid, `invalid spec (generation ${generation}): ${message}`);
  }

  async #writeDegraded(strategy: StrategyResource, reason: string, message: string, observe: boolean): Promise<void> {
    const now = this.#deps.clock.now();
    const previous = strategy.status ?? {};
    const generation = strategy.metadata.generation ?? 1;
    const status: StrategyStatus = {
      ...previous,
      phase: "Degraded",
      message,
      ...(observe ? { observedGeneration: generation } : {}),
      conditions: setConditions(previous.conditions, [{ type: StrategyCondition.Ready, status: "False", reason, message, observedGeneration: generation }], now),
    };
    await this.#updateStatus(strategy, status);
  }

  async #scan(strategy: StrategyResource, specProto: StrategySpecProto, rollup: TradeRollup, now: number, signal: AbortSignal): Promise<{ response: EvaluateResponse; message: string }> {
    const key = objectKey(strategy);
    const response = await this.#deps.strategy.evaluate(
      {
        strategyRef: key,
        spec: specProto,
        asOf: timestampFromMs(now),
        riskContext: { openTrades: rollup.openTrades, openRiskUsd: rollup.openRiskUsd, dayPnlUsd: rollup.dayPnl, openSymbols: [...rollup.openSymbols] },
      },
      { timeoutMs: this.#evaluateTimeoutMs, signal },
    );
    const created: string[] = [];
    if (!response.dryRun) {
      for (const proposal of response.proposals) {
        const name = await this.#createTrade(strategy, proposal);
        if (name !== undefined) created.push(name);
      }
    }
    const message = scanMessage(response, created);
    await this.#deps.events.normal(strategy, StrategyEvent.Scanned, message);
    return { response, message };
  }

  /** Creates the Trade of a proposal; undefined when it already exists (a repeated proposal). */
  async #createTrade(strategy: StrategyResource, proposal: Proposal): Promise<string | undefined> {
    const spec = strategy.spec as NonNullable<StrategyResource["spec"]>;
    if (this.#deps.isLeader?.() === false) throw new Error("leadership lost: not creating trades");
    const name = tradeNameFor(strategy.metadata.name, proposal);
    const trade: TradeResource = {
      apiVersion: API_VERSION,
      kind: TRADE.kind,
      metadata: {
        name,
        namespace: strategy.metadata.namespace,
        labels: { [STRATEGY_LABEL]: strategy.metadata.name },
        annotations: {
          [STRATEGY_GENERATION_ANNOTATION]: String(strategy.metadata.generation ?? 1),
          [PROPOSAL_KEY_ANNOTATION]: proposal.proposalKey,
          [APPROVAL_ANNOTATION]: spec.execution.approval,
          [RISK_ANNOTATION]: String(cents(proposal.riskUsedUsd)),
        },
        ownerReferences: [{
          apiVersion: apiVersionOf(STRATEGY), kind: STRATEGY.kind, name: strategy.metadata.name, uid: strategy.metadata.uid ?? "", controller: true, blockOwnerDeletion: true,
        }],
      },
      spec: tradeSpecFromProposal(strategy, proposal),
    };
    try {
      const createdTrade = await this.#deps.store.create(TRADE, trade);
      const what = `${proposal.proposalKey.split("/").slice(-2, -1).join("")} x${proposal.quantity} @ ${proposal.candidate?.limitPrice ?? 0}`;
      await this.#deps.events.normal(strategy, StrategyEvent.Proposed, `proposed trade ${name}: ${what}${spec.execution.approval === "auto" ? " (approved automatically)" : " (waiting for approval)"}`);
      await this.#deps.events.normal(createdTrade, TradeEvent.Proposed, proposal.reason === "" ? `proposed by ${strategy.metadata.name}` : proposal.reason);
      return name;
    } catch (error) {
      if (isStoreError(error, "AlreadyExists")) return undefined;
      throw error;
    }
  }

  async #write(strategy: StrategyResource, decision: Decision, rollup: TradeRollup, generation: number, now: number): Promise<void> {
    const previous = strategy.status ?? {};
    const status: StrategyStatus = {
      ...previous,
      observedGeneration: generation,
      phase: decision.phase,
      message: decision.message,
      conditions: setConditions(previous.conditions, decision.conditions, now),
      nextScanTime: decision.nextScanTime === undefined ? undefined : iso(decision.nextScanTime),
      openTrades: rollup.openTrades,
      realizedPnl: cents(rollup.realizedPnl),
      unrealizedPnl: cents(rollup.unrealizedPnl),
      dayPnl: cents(rollup.dayPnl),
      ...(decision.lastScanTime === undefined ? {} : { lastScanTime: iso(decision.lastScanTime) }),
      ...(decision.candidates === undefined ? {} : { candidates: decision.candidates }),
    };
    await this.#updateStatus(strategy, status);
    await this.#transitionEvents(strategy, previous, status);
  }

  async #updateStatus(strategy: StrategyResource, status: StrategyStatus): Promise<void> {
    if (sameStatus(strategy.status, status)) return;
    await this.#deps.store.updateStatus<StrategyResource>(STRATEGY, { ...strategy, status });
  }

  /** One Event per decision that changed something a person would want to know. */
  async #transitionEvents(strategy: StrategyResource, before: StrategyStatus, after: StrategyStatus): Promise<void> {
    const { events } = this.#deps;
    const was = before.phase;
    const is = after.phase;
    if (was === "Invalid") await events.normal(strategy, StrategyEvent.Valid, `spec is valid (generation ${after.observedGeneration ?? 0})`);
    if (is === "Paused" && was !== "Paused") await events.normal(strategy, StrategyEvent.Paused, after.message ?? "paused");
    if (was === "Paused" && is !== "Paused") await events.normal(strategy, StrategyEvent.Resumed, "resumed: scanning again");
    if (is === "Halted" && was !== "Halted") await events.warning(strategy, StrategyEvent.DailyLossLimitHit, after.message ?? "daily loss limit hit");
    if (was === "Halted" && is !== "Halted") await events.normal(strategy, StrategyEvent.DailyLossLimitReset, "a new day: entries allowed again");
    const brokerBefore = findCondition(before.conditions, StrategyCondition.BrokerConnected);
    const brokerAfter = findCondition(after.conditions, StrategyCondition.BrokerConnected);
    if (brokerBefore?.status === "True" && brokerAfter?.status !== "True") await events.warning(strategy, StrategyEvent.BrokerDisconnected, brokerAfter?.message ?? "");
    if (brokerBefore !== undefined && brokerBefore.status !== "True" && brokerAfter?.status === "True") await events.normal(strategy, StrategyEvent.BrokerConnected, brokerAfter.message);
    const driftAfter = findCondition(after.conditions, StrategyCondition.OpenTradesOnPreviousSpec);
    if (driftAfter?.status === "True" && findCondition(before.conditions, StrategyCondition.OpenTradesOnPreviousSpec)?.status !== "True") {
      await events.normal(strategy, StrategyEvent.SpecChangeDeferred, driftAfter.message);
    }
  }
}

/** The mapping of the CR spec to the proto refused it: a spec error, not an outage. */
class InvalidMapping extends Error {
  readonly violation: Violation;
  constructor(violation: Violation) {
    super(violation.message);
    this.violation = violation;
  }
}

/** "invalid spec.x.y: …" → field and message; otherwise the whole text as the message. */
function violationOf(text: string): Violation {
  const match = /(spec(?:\.[A-Za-z0-9_]+|\[\d+\])+)/.exec(text);
  return { field: match?.[1] ?? "", message: match === null ? text : text.replace(/^invalid\s+/, "").replace(`${match[1]}: `, "").replace(`${match[1]} `, "") };
}

function windowText(spec: NonNullable<StrategyResource["spec"]>): string {
  return `${spec.schedule.window.start}–${spec.schedule.window.end} ${spec.schedule.timezone}`;
}

function findLast(conditions: readonly ConditionUpdate[], type: string): ConditionUpdate | undefined {
  return [...conditions].reverse().find((c) => c.type === type);
}

function riskCondition(rollup: TradeRollup, spec: NonNullable<StrategyResource["spec"]>, lossHit: boolean, slotsFull: boolean, generation: number): ConditionUpdate {
  const base = { type: StrategyCondition.RiskBudgetAvailable, observedGeneration: generation };
  if (lossHit) {
    return { ...base, status: "False", reason: Reason.DailyLossLimitHit, message: `today's P&L ${cents(rollup.dayPnl)} USD reached maxDailyLoss ${spec.risk.maxDailyLoss ?? 0} USD` };
  }
  if (slotsFull) {
    return { ...base, status: "False", reason: Reason.MaxOpenTradesReached, message: `${rollup.openTrades} open trades: maxOpenTrades ${spec.risk.maxOpenTrades ?? 0} reached` };
  }
  const slots = spec.risk.maxOpenTrades === undefined ? "" : ` of ${spec.risk.maxOpenTrades}`;
  return { ...base, status: "True", reason: Reason.BudgetAvailable, message: `${rollup.openTrades}${slots} open trades, open risk ${cents(rollup.openRiskUsd)} USD, today's P&L ${cents(rollup.dayPnl)} USD` };
}

function driftCondition(outdated: readonly TradeResource[], generation: number): ConditionUpdate {
  const base = { type: StrategyCondition.OpenTradesOnPreviousSpec, observedGeneration: generation };
  if (outdated.length === 0) return { ...base, status: "False", reason: Reason.OpenTradesCurrent, message: "every open trade uses the current exits and execution settings" };
  const names = outdated.map((t) => t.metadata.name).join(", ");
  return {
    ...base, status: "True", reason: Reason.SpecChangedWithOpenTrades,
    message: `${outdated.length} open trade(s) keep the exits and execution settings they were proposed with (${names}); new trades use generation ${generation}. Close them by hand (spec.close) to apply the new settings.`,
  };
}

