import type { Preview } from "@spreadops/api";
import type { StrategyResource, TradeResource, TradeStatus } from "@spreadops/resources";
import { STRATEGY, TRADE, isStoreError } from "@spreadops/resources";
import { statusFromSpread, toExecutionTradeSpec, toPriceWalk } from "./execution-mapping.js";
import { APPROVAL_ANNOTATION } from "./names.js";
import { Reason, TradeEvent } from "./reasons.js";
import { classifyRpcError, rpcErrorMessage } from "./rpc-errors.js";
import { cents } from "./status-equality.js";
import { REJECTABLE_PHASES } from "./trade-phases.js";
import type { StepOutcome, TradeStepDeps, TradeTimings } from "./trade-steps.js";
import { localDate, nextLocalMidnight } from "./trading-window.js";
import { assertLeader, proceed, stop } from "./trade-steps.js";

const iso = (ms: number): string => new Date(ms).toISOString();

/** The exchange's zone: a proposal's day is the exchange day (US options). */
const EXCHANGE_TIME_ZONE = "America/New_York";

/** How often a trade held by a paused or halted Strategy looks again (a resume also enqueues it). */
const HOLD_RECHECK_MS = 30_000;

/** The Trade's controlling owner Strategy reference, if any. */
function ownerOf(trade: TradeResource): { name: string; uid: string } | undefined {
  const owner = trade.metadata.ownerReferences?.find((o) => o.kind === STRATEGY.kind && o.controller === true);
  return owner === undefined ? undefined : { name: owner.name, uid: owner.uid };
}

function previewStatus(preview: Preview): NonNullable<TradeStatus["preview"]> {
  return {
    ...(preview.initMargin === undefined ? {} : { initMargin: cents(preview.initMargin) }),
    ...(preview.maintMargin === undefined ? {} : { maintMargin: cents(preview.maintMargin) }),
    ...(preview.commissionUsd === undefined ? {} : { commission: cents(preview.commissionUsd) }),
    maxProfit: cents(preview.maxProfitUsd),
    maxLoss: cents(preview.maxLossUsd),
    breakeven: preview.breakeven,
    automaticExecutionAllowed: preview.automaticExecutionAllowed,
  };
}

function previewText(preview: Preview): string {
  const money = (v: number | undefined): string => (v === undefined ? "unknown" : `${cents(v)} USD`);
  const warnings = preview.warnings.map((w) => w.message).join("; ");
  return `max profit ${money(preview.maxProfitUsd)}, max loss ${money(preview.maxLossUsd)}, breakeven ${preview.breakeven}, ` +
    `initial margin ${money(preview.initMargin)}, commission ${money(preview.commissionUsd)}${warnings === "" ? "" : `; warnings: ${warnings}`}`;
}

/** How long a proposal waits before its preview is tried again after a failure. */
const PREVIEW_RETRY_MS = 60_000;

/**
 * Proposed → (approval) → Approved → Previewed → Submitted: everything before and including the
 * opening order. The order is placed only after a fresh read shows the Trade unchanged and its
 * Strategy alive, by the leader, and with the trade uid as id, so a retry or a restart adopts
 * the order instead of sending a second one.
 */
export class TradePlacement {
  readonly #deps: TradeStepDeps;
  readonly #timings: TradeTimings;

  constructor(deps: TradeStepDeps, timings: TradeTimings) {
    this.#deps = deps;
    this.#timings = timings;
  }

  async step(trade: TradeResource, signal: AbortSignal): Promise<StepOutcome> {
    const { writer } = this.#deps;
    const spec = trade.spec;
    if (spec === undefined) return stop();
    // First of all, so a rejected proposal reaches no execution call, not even a preview.
    if (rejectedByUser(trade)) return this.#rejectByUser(trade);
    const phase = trade.status?.phase;
    const ownerProblem = this.#ownerProblem(trade);
    if (ownerProblem !== undefined) return this.#cancel(trade, ownerProblem);
    if (spec.close === true) return this.#cancel(trade, "closed by hand (spec.close) before the order was placed");
    if (phase === undefined) {
      const message = spec.approved === true ? `proposed${spec.reason === undefined || spec.reason === "" ? "" : `: ${spec.reason}`}` : waitingText(trade);
      return proceed(await writer.write(trade, { ...trade.status, phase: "Proposed", message }));
    }
    if (spec.approved !== true) {
      // A proposal is priced for its day: unapproved at the end of it, it lapses (and frees its slot and symbol).
      const created = Date.parse(trade.metadata.creationTimestamp ?? "");
      const now = this.#deps.clock.now();
      if (Number.isFinite(created)) {
        const lapses = nextLocalMidnight(created, EXCHANGE_TIME_ZONE);
        if (now >= lapses) return this.#cancel(trade, `not approved on the day it was proposed (${localDate(created, EXCHANGE_TIME_ZONE)}): lapsed, prices have moved`);
        if (phase === "Proposed" && trade.status?.preview === undefined) return this.#previewForApproval(trade, signal);
        if (phase === "Proposed") return stop({ requeueAfterMs: lapses - now }); // a spec change (approval) enqueues it sooner
      } else if (phase === "Proposed") {
        return stop();
      }
      return proceed(await writer.write(trade, { ...trade.status, phase: "Proposed", message: `approval withdrawn: ${waitingText(trade)}` }));
    }
    const hold = this.#ownerHold(trade);
    if (hold !== undefined) {
      // Paused or halted means no new entries: an approved trade waits, it is not placed meanwhile.
      if (trade.status?.message !== hold) await writer.write(trade, { ...trade.status, message: hold });
      return stop({ requeueAfterMs: HOLD_RECHECK_MS });
    }
    switch (phase) {
      case "Proposed": {
        const auto = trade.metadata.annotations?.[APPROVAL_ANNOTATION] === "auto";
        const message = auto ? "approved automatically (approval: auto)" : "approved (spec.approved)";
        const updated = await writer.write(trade, { ...trade.status, phase: "Approved", message });
        await this.#deps.events.normal(updated, TradeEvent.Approved, message);
        return proceed(updated);
      }
      case "Approved":
        return this.#preview(trade, signal);
      case "Previewed":
        return this.#place(trade, signal);
      default:
        return stop();
    }
  }

  async #preview(trade: TradeResource, signal: AbortSignal): Promise<StepOutcome> {
    const { writer } = this.#deps;
    let preview: Preview | undefined;
    try {
      preview = (await this.#deps.execution.previewSpread({ trade: toExecutionTradeSpec(trade) }, { timeoutMs: this.#timings.rpcTimeoutMs, signal })).preview;
    } catch (error) {
      return this.#failed(trade, error, "preview");
    }
    if (preview === undefined) return this.#failed(trade, new Error("empty preview"), "preview");
    const text = previewText(preview);
    const updated = await writer.write(trade, { ...trade.status, phase: "Previewed", preview: previewStatus(preview), message: `previewed: ${text}` });
    await this.#deps.events.normal(updated, TradeEvent.Previewed, text);
    return proceed(updated);
  }

  /**
   * The what-if a person needs before approving (margin, commission, max loss, breakeven),
   * attached to a Proposed trade; it stays Proposed. Approval previews again right before the
   * order, so the numbers the order is checked against are fresh. A failure here rejects
   * nothing: the proposal waits and the preview is tried again.
   */
  async #previewForApproval(trade: TradeResource, signal: AbortSignal): Promise<StepOutcome> {
    let preview: Preview | undefined;
    try {
      preview = (await this.#deps.execution.previewSpread({ trade: toExecutionTradeSpec(trade) }, { timeoutMs: this.#timings.rpcTimeoutMs, signal })).preview;
    } catch (error) {
      const message = `${waitingText(trade)}; preview unavailable: ${rpcErrorMessage(error)}`;
      if (trade.status?.message !== message) await this.#deps.writer.write(trade, { ...trade.status, message });
      return stop({ requeueAfterMs: PREVIEW_RETRY_MS });
    }
    if (preview === undefined) return stop({ requeueAfterMs: PREVIEW_RETRY_MS });
    const text = previewText(preview);
    const updated = await this.#deps.writer.write(trade, { ...trade.status, preview: previewStatus(preview), message: `${waitingText(trade)}; preview: ${text}` });
    await this.#deps.events.normal(updated, TradeEvent.Previewed, `for approval: ${text}`);
    return proceed(updated);
  }

  async #place(trade: TradeResource, signal: AbortSignal): Promise<StepOutcome> {
    const { store, writer } = this.#deps;
    // The cache may lag: place only what the store still says, for a Strategy that still exists.
    const fresh = await store.get<TradeResource>(TRADE, trade.metadata.namespace, trade.metadata.name);
    if (fresh.metadata.resourceVersion !== trade.metadata.resourceVersion) return stop();
    const owner = ownerOf(trade);
    if (owner !== undefined) {
      const problem = await this.#freshOwnerProblem(trade, owner);
      if (problem !== undefined) return this.#cancel(trade, problem);
    }
    assertLeader(this.#deps);
    const automatic = trade.metadata.annotations?.[APPROVAL_ANNOTATION] === "auto";
    try {
      const response = await this.#deps.execution.placeSpread(
        { trade: toExecutionTradeSpec(trade), walk: toPriceWalk(trade), automatic },
        { timeoutMs: this.#timings.rpcTimeoutMs, signal },
      );
      const order = response.order;
      if (order === undefined) return await this.#failed(trade, new Error("empty PlaceSpread answer"), "placement");
      const status = statusFromSpread(trade.status, order, this.#deps.clock.now());
      const entry = order.entry;
      const detail = response.adopted
        ? `adopted the order already carrying orderRef ${order.tradeId} (order ${entry?.orderId ?? 0}); nothing new sent`
        : `order ${entry?.orderId ?? 0} placed: ${entry?.quantity ?? 0} x ${entry?.limitPrice ?? 0} (orderRef ${order.tradeId}${automatic ? ", automatic" : ""})`;
      // The order was sent even when its answer already shows a later phase (filled at once).
      if (!response.adopted && status.phase !== "Submitted") await this.#deps.events.normal(trade, TradeEvent.Submitted, detail);
      const updated = await writer.write(trade, { ...status, message: detail }, detail);
      if (response.adopted) await this.#deps.events.normal(updated, TradeEvent.Adopted, detail);
      return proceed(updated);
    } catch (error) {
      return this.#failed(trade, error, "placement");
    }
  }

  /** A failed call: refusals and bad requests reject the Trade; outages degrade it and retry. */
  async #failed(trade: TradeResource, error: unknown, what: string): Promise<StepOutcome> {
    const failure = classifyRpcError(error);
    if (failure === "refused" || failure === "invalid") {
      const message = `${what} refused: ${rpcErrorMessage(error)}`;
      await this.#deps.writer.write(trade, { ...trade.status, phase: "Rejected", message, closedAt: iso(this.#deps.clock.now()) }, message);
      return stop();
    }
    await this.#deps.writer.degrade(trade, Reason.ExecutionUnavailable, `${what} failed: ${rpcErrorMessage(error)}`);
    throw error;
  }

  /** A person said no: terminal, and kept (its deterministic name stops the same proposal coming back). */
  async #rejectByUser(trade: TradeResource): Promise<StepOutcome> {
    const message = "rejected by a user before placement (spec.rejected): no order placed";
    await this.#deps.writer.write(trade, { ...trade.status, phase: "Rejected", message, closedAt: iso(this.#deps.clock.now()) }, message, { reason: TradeEvent.RejectedByUser });
    return stop();
  }

  async #cancel(trade: TradeResource, message: string): Promise<StepOutcome> {
    await this.#deps.writer.write(trade, { ...trade.status, phase: "Cancelled", message, closedAt: iso(this.#deps.clock.now()) }, message);
    return stop();
  }

  /** Why the owner Strategy allows no new entries right now, if it does not. */
  #ownerHold(trade: TradeResource): string | undefined {
    const owner = ownerOf(trade);
    if (owner === undefined) return undefined;
    const strategy = this.#deps.strategies.get(`${trade.metadata.namespace ?? "default"}/${owner.name}`);
    if (strategy?.spec?.paused === true) return `approved, waiting: strategy ${owner.name} is paused (no new entries)`;
    if (strategy?.status?.phase === "Halted") return `approved, waiting: strategy ${owner.name} is halted for the day (${strategy.status.message ?? "daily loss limit"})`;
    return undefined;
  }

  #ownerProblem(trade: TradeResource): string | undefined {
    const owner = ownerOf(trade);
    if (owner === undefined) return undefined;
    const strategy = this.#deps.strategies.get(`${trade.metadata.namespace ?? "default"}/${owner.name}`);
    return problemOf(strategy, owner);
  }

  async #freshOwnerProblem(trade: TradeResource, owner: { name: string; uid: string }): Promise<string | undefined> {
    try {
      return problemOf(await this.#deps.store.get<StrategyResource>(STRATEGY, trade.metadata.namespace, owner.name), owner);
    } catch (error) {
      if (isStoreError(error, "NotFound")) return problemOf(undefined, owner);
      throw error;
    }
  }
}

function problemOf(strategy: StrategyResource | undefined, owner: { name: string; uid: string }): string | undefined {
  if (strategy === undefined || strategy.metadata.uid !== owner.uid) return `strategy ${owner.name} no longer exists: not placed`;
  if (strategy.metadata.deletionTimestamp !== undefined) return `strategy ${owner.name} is being deleted: not placed`;
  return undefined;
}

/**
 * Whether a person rejected this proposal while it can still be rejected: unapproved and not yet
 * past Previewed. An approved Trade ignores spec.rejected (the CRD forbids both; a store without
 * that rule must not turn an approval into a silent no-op, nor touch a placed order).
 */
function rejectedByUser(trade: TradeResource): boolean {
  const phase = trade.status?.phase;
  return trade.spec?.rejected === true && trade.spec.approved !== true && (phase === undefined || REJECTABLE_PHASES.has(phase));
}

function waitingText(trade: TradeResource): string {
  const reason = trade.spec?.reason;
  return `waiting for approval (set spec.approved: true)${reason === undefined || reason === "" ? "" : `; ${reason}`}`;
}
