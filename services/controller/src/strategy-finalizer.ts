import { ExitReason } from "@spreadops/api";
import type { ResourceStore, StrategyResource, TradePhase, TradeResource, TradeStatus } from "@spreadops/resources";
import { STRATEGY, STRATEGY_FINALIZER, TRADE } from "@spreadops/resources";
import type { Clock, Logger } from "@spreadops/runtime";
import type { ReconcileResult } from "./controller-loop.js";
import type { EventSink } from "./event-recorder.js";
import { statusFromSpread, toPriceWalk, tradeIdOf } from "./execution-mapping.js";
import { objectKey } from "./informer.js";
import { ORPHANED_ANNOTATION } from "./names.js";
import type { ExecutionPort } from "./ports.js";
import { StrategyEvent, TradeEvent } from "./reasons.js";
import { classifyRpcError, rpcErrorMessage } from "./rpc-errors.js";
import { sameStatus } from "./status-equality.js";
import type { OwnedTrades } from "./strategy-reconciler.js";
import { AT_BROKER_PHASES, PRE_ORDER_PHASES } from "./trade-phases.js";

export interface StrategyFinalizerDeps {
  readonly store: Pick<ResourceStore, "patch" | "updateStatus">;
  readonly trades: OwnedTrades;
  readonly execution: Pick<ExecutionPort, "cancelSpread" | "closeSpread">;
  readonly events: EventSink;
  readonly clock: Pick<Clock, "now">;
  readonly logger: Logger;
  /** Whether the Trade reconciler is working on this trade key right now. */
  readonly tradeInFlight?: (key: string) => boolean;
  /** Deadline of each execution call; default 15 s. */
  readonly rpcTimeoutMs?: number;
}

/** How often to look again while a trade of the Strategy is being reconciled. */
const IN_FLIGHT_RETRY_MS = 500;

/**
 * What deleting a Strategy does, idempotently, before its finalizer is removed:
 * 1. Trades not yet at the broker are cancelled, so they can never be placed;
 * 2. it waits while any of its Trades is being reconciled (a placement may be in flight);
 * 3. the working opening orders are cancelled (the execution service's answer becomes the Trade's
 *    status: a partial fill is an open position);
 * 4. with `onDelete: closeOpenTrades`, open positions get a closing order (reason
 *    STRATEGY_DELETED); otherwise they stay open, keep their exits and are reported;
 * 5. every Trade with a position or a working order loses its owner reference (orphaned, with an
 *    annotation saying from what), so the cascade does not delete what is still open;
 * 6. the finalizer is removed with a patch guarded by resourceVersion.
 * Closing orders already working are left alone: they reduce risk.
 */
export class StrategyFinalizer {
  readonly #deps: StrategyFinalizerDeps;
  readonly #timeoutMs: number;

  constructor(deps: StrategyFinalizerDeps) {
    this.#deps = deps;
    this.#timeoutMs = deps.rpcTimeoutMs ?? 15_000;
  }

  async finalize(strategy: StrategyResource, signal: AbortSignal): Promise<ReconcileResult | undefined> {
    const finalizers = strategy.metadata.finalizers ?? [];
    if (!finalizers.includes(STRATEGY_FINALIZER)) return undefined;
    const { events } = this.#deps;
    const reason = `strategy ${strategy.metadata.name} deleted`;
    const trades = this.#deps.trades.ownedBy(strategy.metadata.uid ?? "");
    const phases = new Map<string, TradePhase | undefined>(trades.map((t) => [t.metadata.name, t.status?.phase]));
    // The latest version of each trade written here, so a second write carries its resourceVersion.
    const latest = new Map<string, TradeResource>(trades.map((t) => [t.metadata.name, t]));
    const setStatus = async (trade: TradeResource, status: TradeStatus): Promise<void> => {
      const current = latest.get(trade.metadata.name) ?? trade;
      if (sameStatus(current.status, status)) return;
      latest.set(trade.metadata.name, await this.#deps.store.updateStatus<TradeResource>(TRADE, { ...current, status }));
      phases.set(trade.metadata.name, status.phase);
    };

    // 1. Nothing not yet placed may be placed any more.
    const unplaced = trades.filter((t) => t.status?.phase === undefined || PRE_ORDER_PHASES.has(t.status.phase));
    for (const trade of unplaced) {
      await setStatus(trade, { ...trade.status, phase: "Cancelled", message: `${reason} before the order was placed`, closedAt: new Date(this.#deps.clock.now()).toISOString() });
      await events.normal(trade, TradeEvent.Cancelled, `${reason}: not placed`);
    }
    // 2. A reconcile in flight may have read the old phase and be placing right now.
    if (trades.some((t) => this.#deps.tradeInFlight?.(objectKey(t)) === true)) return { requeueAfterMs: IN_FLIGHT_RETRY_MS };

    // 3. Cancel working opening orders (and anything a racing placement may have sent).
    const toCancel = trades.filter((t) => unplaced.includes(t) || t.status?.phase === "Submitted" || t.status?.phase === "PartiallyFilled");
    for (const trade of toCancel) {
      try {
        const { order, cancelSent } = await this.#deps.execution.cancelSpread({ tradeId: tradeIdOf(trade), reason }, { timeoutMs: this.#timeoutMs, signal });
        if (order !== undefined) {
          await setStatus(trade, statusFromSpread(latest.get(trade.metadata.name)?.status, order, this.#deps.clock.now()));
        }
        if (cancelSent) {
          await events.normal(strategy, StrategyEvent.OrderCancelled, `cancelled the working order of trade ${trade.metadata.name}`);
          await events.normal(trade, TradeEvent.Cancelled, `${reason}: working order cancelled`);
        }
      } catch (error) {
        const failure = classifyRpcError(error);
        if (failure === "notFound") continue; // never placed
        if (failure === "unavailable") {
          await events.warning(strategy, StrategyEvent.CancelFailed, `cannot cancel the order of trade ${trade.metadata.name} yet: ${rpcErrorMessage(error)}; retrying`);
          throw error;
        }
        await events.warning(strategy, StrategyEvent.CancelFailed, `cancel of trade ${trade.metadata.name} refused: ${rpcErrorMessage(error)}`);
      }
    }

    // 4. Open positions: closed on request, otherwise left open.
    const open = trades.filter((t) => { const p = phases.get(t.metadata.name); return p === "Open" || p === "PartiallyFilled"; });
    const closeRequested = strategy.spec?.onDelete === "closeOpenTrades";
    if (closeRequested) {
      for (const trade of open) {
        try {
          const { order } = await this.#deps.execution.closeSpread({
            tradeId: tradeIdOf(trade), reason: ExitReason.STRATEGY_DELETED, message: reason,
            ...(trade.spec?.execution?.limitOffset === undefined ? {} : { limitOffset: trade.spec.execution.limitOffset }),
            walk: toPriceWalk(trade),
          }, { timeoutMs: this.#timeoutMs, signal });
          if (order !== undefined) {
            await setStatus(trade, statusFromSpread(latest.get(trade.metadata.name)?.status, order, this.#deps.clock.now()));
          }
          await events.normal(trade, TradeEvent.Closing, `${reason}: closing (onDelete: closeOpenTrades)`);
        } catch (error) {
          if (classifyRpcError(error) === "unavailable") throw error;
          await events.warning(trade, TradeEvent.Closing, `${reason}: close refused: ${rpcErrorMessage(error)}; left open`);
        }
      }
    }

    // 5. Whatever is still at the broker survives the cascade, without an owner.
    const survivors = trades.filter((t) => { const p = phases.get(t.metadata.name); return p !== undefined && AT_BROKER_PHASES.has(p); });
    for (const trade of survivors) await this.#orphan(trade, strategy);
    if (survivors.length > 0) {
      const names = survivors.map((t) => `${t.metadata.name} (${phases.get(t.metadata.name) ?? "?"})`).join(", ");
      if (closeRequested) {
        await events.normal(strategy, StrategyEvent.ClosingOpenTrades, `${survivors.length} trade(s) at the broker are being closed and stay as Trades without owner until done: ${names}`);
      } else {
        const message = `${survivors.length} trade(s) stay at the broker and keep their exits, now without owner: ${names}. Close one with spec.close: true.`;
        await events.warning(strategy, StrategyEvent.OpenTradesLeftOpen, message);
        this.#deps.logger.warn({ strategy: objectKey(strategy), trades: survivors.map((t) => t.metadata.name) }, "strategy deleted with open trades: left open");
      }
    }

    // 6. Done.
    await this.#deps.store.patch(
      STRATEGY, strategy.metadata.namespace, strategy.metadata.name,
      { metadata: { finalizers: finalizers.filter((f) => f !== STRATEGY_FINALIZER) } },
      { resourceVersion: strategy.metadata.resourceVersion },
    );
    await events.normal(strategy, StrategyEvent.Finalized, `working orders cancelled; ${survivors.length} trade(s) kept without owner`);
    return undefined;
  }

  async #orphan(trade: TradeResource, strategy: StrategyResource): Promise<void> {
    const uid = strategy.metadata.uid;
    const owners = (trade.metadata.ownerReferences ?? []).filter((o) => o.uid !== uid);
    await this.#deps.store.patch(TRADE, trade.metadata.namespace, trade.metadata.name, {
      metadata: { ownerReferences: owners.length === 0 ? null : owners, annotations: { [ORPHANED_ANNOTATION]: `${strategy.metadata.name}/${uid ?? ""}` } },
    });
    await this.#deps.events.warning(trade, TradeEvent.Orphaned, `strategy ${strategy.metadata.name} deleted: this trade stays (no owner) until it is closed`);
  }
}
