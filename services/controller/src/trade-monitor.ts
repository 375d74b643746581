import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { SpreadOrder } from "@spreadops/api";
import { ExitAction, ExitReason } from "@spreadops/api";
import type { TradeResource, TradeStatus } from "@spreadops/resources";
import { exitRulesToProto } from "@spreadops/resources";
import { exitReasonName, statusFromSpread, toExecutionTradeSpec, toPriceWalk, tradeIdOf } from "./execution-mapping.js";
import { APPROVAL_ANNOTATION } from "./names.js";
import { Reason, TradeEvent } from "./reasons.js";
import { classifyRpcError, rpcErrorMessage } from "./rpc-errors.js";
import { cents } from "./status-equality.js";
import type { StepOutcome, TradeStepDeps, TradeTimings } from "./trade-steps.js";
import { assertLeader, proceed, stop } from "./trade-steps.js";

const iso = (ms: number): string => new Date(ms).toISOString();

/** What a person reads about a phase reached. */
function phaseDetail(status: TradeStatus, quantity: number): string {
  switch (status.phase) {
    case "Submitted":
      return `order ${status.orderId ?? 0} working`;
    case "PartiallyFilled":
      return `filled ${status.filledQuantity ?? 0} of ${quantity}`;
    case "Open":
      return `open: ${status.filledQuantity ?? 0} filled at ${status.avgFillPrice ?? "?"}`;
    case "Closing":
      return `closing${status.exit === undefined ? "" : ` (${status.exit.reason})`}: order ${status.closeOrderId ?? 0} working`;
    case "Closed":
      return `closed${status.exit === undefined ? "" : ` (${status.exit.reason})`}: realized P&L ${cents(status.realizedPnl ?? 0)} USD`;
    case "Cancelled":
      return "opening order ended with nothing filled";
    case "Rejected":
      return status.message ?? "rejected";
    case "Expired":
      return "expired at the broker";
    default:
      return status.phase ?? "";
  }
}

/**
 * Submitted → PartiallyFilled → Open → Closing → Closed: follows the orders through the execution
 * service (GetSpread while they work), checks exits of open trades on a schedule (EvaluateExits
 * with the trade's own snapshot of the rules), and closes on an exit decision or `spec.close`.
 */
export class TradeMonitor {
  readonly #deps: TradeStepDeps;
  readonly #timings: TradeTimings;

  constructor(deps: TradeStepDeps, timings: TradeTimings) {
    this.#deps = deps;
    this.#timings = timings;
  }

  async step(trade: TradeResource, signal: AbortSignal): Promise<StepOutcome> {
    switch (trade.status?.phase) {
      case "Submitted":
      case "PartiallyFilled":
        return this.#working(trade, signal);
      case "Open":
        return this.#open(trade, signal);
      case "Closing":
        return this.#closing(trade, signal);
      default:
        return stop();
    }
  }

  async #working(trade: TradeResource, signal: AbortSignal): Promise<StepOutcome> {
    if (trade.spec?.close === true) {
      if (trade.status?.phase === "PartiallyFilled") return this.#close(trade, ExitReason.MANUAL, "closed by hand (spec.close) while partially filled", signal);
      return this.#call(trade, signal, "cancel", async () => {
        assertLeader(this.#deps);
        const { order } = await this.#deps.execution.cancelSpread({ tradeId: tradeIdOf(trade), reason: "closed by hand (spec.close) before it filled" }, this.#options(signal));
        return order;
      });
    }
    return this.#refresh(trade, signal);
  }

  async #open(trade: TradeResource, signal: AbortSignal): Promise<StepOutcome> {
    if (trade.spec?.close === true) return this.#close(trade, ExitReason.MANUAL, "closed by hand (spec.close)", signal);
    const now = this.#deps.clock.now();
    const last = trade.status?.lastExitCheck === undefined ? undefined : Date.parse(trade.status.lastExitCheck);
    const interval = this.#timings.exitCheckIntervalMs;
    if (last !== undefined && now - last < interval) return stop({ requeueAfterMs: interval - (now - last) });
    // Fills, P&L and a close made elsewhere first: the exit check is for what is open now.
    let current: TradeResource;
    try {
      const { order } = await this.#deps.execution.getSpread({ tradeId: tradeIdOf(trade) }, this.#options(signal));
      current = order === undefined ? trade : await this.#write(trade, order);
    } catch (error) {
      return this.#failed(trade, error, "refresh", signal);
    }
    if (current.status?.phase !== "Open") return proceed(current);
    let decision;
    try {
      decision = (await this.#deps.execution.evaluateExits(
        { tradeId: tradeIdOf(current), rules: exitRulesToProto(current.spec?.exits), asOf: timestampFromMs(now) },
        this.#options(signal),
      )).decision;
    } catch (error) {
      return this.#failed(current, error, "exit check", signal);
    }
    if (decision === undefined || decision.action === ExitAction.HOLD || decision.action === ExitAction.UNSPECIFIED) {
      const unrealized = decision?.metrics?.unrealizedPnlUsd;
      await this.#deps.writer.write(current, {
        ...current.status,
        lastExitCheck: iso(now),
        ...(unrealized === undefined ? {} : { unrealizedPnl: cents(unrealized) }),
        message: `holding: ${decision?.message ?? "no exit rule triggered"}`,
      });
      return stop({ requeueAfterMs: interval });
    }
    await this.#deps.events.normal(current, TradeEvent.ExitDecided, `${ExitAction[decision.action]} (${exitReasonName(decision.reason)}): ${decision.message}`);
    if (decision.action === ExitAction.ROLL) {
      // RollSpread needs the replacement spread, and nothing chooses it yet (that takes a scan,
      // which the strategy service does not offer for rolls): close, and say no replacement opens.
      const message = `roll due (${decision.message}); choosing a replacement spread is not available yet: closing without opening one`;
      await this.#deps.events.warning(current, TradeEvent.RollUnavailable, message);
      return this.#close(current, ExitReason.ROLL, message, signal);
    }
    return this.#close(current, decision.reason, decision.message, signal);
  }

  async #closing(trade: TradeResource, signal: AbortSignal): Promise<StepOutcome> {
    return this.#refresh(trade, signal);
  }

  async #close(trade: TradeResource, reason: ExitReason, message: string, signal: AbortSignal): Promise<StepOutcome> {
    const execution = trade.spec?.execution;
    return this.#call(trade, signal, "close", async () => {
      assertLeader(this.#deps);
      const { order } = await this.#deps.execution.closeSpread({
        tradeId: tradeIdOf(trade), reason, message,
        ...(execution?.limitOffset === undefined ? {} : { limitOffset: execution.limitOffset }),
        walk: toPriceWalk(trade),
      }, this.#options(signal));
      return order;
    });
  }

  /** GetSpread → status; polls again while an order works. */
  async #refresh(trade: TradeResource, signal: AbortSignal): Promise<StepOutcome> {
    return this.#call(trade, signal, "refresh", async () => (await this.#deps.execution.getSpread({ tradeId: tradeIdOf(trade) }, this.#options(signal))).order);
  }

  /** Runs an execution call that answers with the spread, and records what it says. */
  async #call(trade: TradeResource, signal: AbortSignal, what: string, call: () => Promise<SpreadOrder | undefined>): Promise<StepOutcome> {
    let order: SpreadOrder | undefined;
    try {
      order = await call();
    } catch (error) {
      return this.#failed(trade, error, what, signal);
    }
    if (order === undefined) return stop({ requeueAfterMs: this.#timings.pollIntervalMs });
    return this.#record(trade, order);
  }

  /** Records the spread in status; polls again while an order works, goes on when the phase moved. */
  async #record(trade: TradeResource, order: SpreadOrder): Promise<StepOutcome> {
    const updated = await this.#write(trade, order);
    const phase = updated.status?.phase;
    if (phase === "Submitted" || phase === "PartiallyFilled" || phase === "Closing") return stop({ requeueAfterMs: this.#timings.pollIntervalMs });
    return phase !== trade.status?.phase ? proceed(updated) : stop();
  }

  async #write(trade: TradeResource, order: SpreadOrder): Promise<TradeResource> {
    const status = statusFromSpread(trade.status, order, this.#deps.clock.now());
    const detail = phaseDetail(status, trade.spec?.quantity ?? 0);
    const phaseChanged = status.phase !== trade.status?.phase;
    return this.#deps.writer.write(trade, phaseChanged ? { ...status, message: detail } : status, detail);
  }

  async #failed(trade: TradeResource, error: unknown, what: string, signal: AbortSignal): Promise<StepOutcome> {
    const failure = classifyRpcError(error);
    if (failure === "notFound") return this.#notTracked(trade, signal);
    if (failure === "unavailable") {
      await this.#deps.writer.degrade(trade, Reason.ExecutionUnavailable, `${what} failed: ${rpcErrorMessage(error)}`);
      throw error;
    }
    // A refusal (kill switch, wrong phase at the broker): say so and look again later.
    await this.#deps.events.warning(trade, what === "close" ? TradeEvent.Closing : TradeEvent.ExecutionUnavailable, `${what} refused: ${rpcErrorMessage(error)}`);
    return stop({ requeueAfterMs: what === "close" ? this.#timings.exitCheckIntervalMs : this.#timings.pollIntervalMs });
  }

  /**
   * The execution service does not know the trade (it restarted and rebuilds only what it is
   * asked about). The trade's status says an order was placed, so it is re-adopted with
   * PlaceSpread in adopt-only mode: the broker's order carrying the trade id is rebuilt, and
   * nothing is ever sent — placing again could open a second position (or a stale order on a
   * new day). When the broker lists no such order, the trade is reported and looked at again.
   */
  async #notTracked(trade: TradeResource, signal: AbortSignal): Promise<StepOutcome> {
    const phase = trade.status?.phase;
    assertLeader(this.#deps);
    try {
      const response = await this.#deps.execution.placeSpread(
        { trade: toExecutionTradeSpec(trade), automatic: trade.metadata.annotations?.[APPROVAL_ANNOTATION] === "auto", adoptOnly: true },
        this.#options(signal),
      );
      await this.#deps.events.normal(trade, TradeEvent.Adopted, "the execution service did not know this trade: re-adopted the broker's order by orderRef (nothing sent)");
      if (response.order !== undefined) return await this.#record(trade, response.order);
      return stop({ requeueAfterMs: this.#timings.pollIntervalMs });
    } catch (error) {
      const failure = classifyRpcError(error);
      if (failure === "unavailable") return this.#failed(trade, error, "re-adoption", signal);
      await this.#deps.writer.degrade(trade, Reason.NotTrackedByExecution,
        `the execution service does not track this ${phase ?? ""} trade and the broker lists no order carrying its orderRef (${rpcErrorMessage(error)}); nothing is sent for it — check the position at the broker`);
      return stop({ requeueAfterMs: this.#timings.notTrackedRetryMs });
    }
  }

  #options(signal: AbortSignal): { timeoutMs: number; signal: AbortSignal } {
    return { timeoutMs: this.#timings.rpcTimeoutMs, signal };
  }
}
