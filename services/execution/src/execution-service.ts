import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { ExecutionService, StreamSpreadEventsResponse } from "@spreadops/api";
import { StreamSpreadEventsResponseSchema, TradePhase } from "@spreadops/api";
import { invalidArgument } from "@spreadops/runtime";
import { MAX_TRADE_ID_LENGTH } from "./trade-spec.js";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { isTerminal } from "./spread-state.js";
import type { SpreadExecutor } from "./spread-executor.js";

/** Most events a slow StreamSpreadEvents reader may fall behind before it is cut off. */
const MAX_BACKLOG = 10_000;

/**
 * The Connect handlers of ExecutionService: thin adapters over {@link SpreadExecutor}, which
 * owns validation, safety checks and the broker calls.
 */
export function executionServiceHandlers(executor: SpreadExecutor, now: () => number): ServiceImpl<typeof ExecutionService> {
  return {
    async previewSpread(req) {
      return { preview: await executor.preview(req.trade) };
    },
    async placeSpread(req) {
      return executor.place(req);
    },
    async getSpread(req) {
      return { order: await executor.get(req.tradeId) };
    },
    listSpreads(req) {
      req.phases.forEach((phase, i) => {
        if ((TradePhase as Record<number, string | undefined>)[phase] === undefined || phase === TradePhase.UNSPECIFIED) throw invalidArgument(`phases[${i}]`, "a TradePhase", phase);
      });
      return { orders: executor.list(req.strategyRef, req.phases) };
    },
    async cancelSpread(req) {
      return executor.cancel(req.tradeId, req.reason);
    },
    async closeSpread(req) {
      return executor.close(req);
    },
    async rollSpread(req) {
      const result = await executor.roll(req);
      return {
        phase: result.phase,
        closing: result.closing,
        ...(result.opening === undefined ? {} : { opening: result.opening }),
        closeAdopted: result.closeAdopted,
        openAdopted: result.openAdopted,
        message: result.message,
      };
    },
    async evaluateExits(req) {
      return { decision: await executor.evaluateExits(req) };
    },
    async *streamSpreadEvents(req, ctx: HandlerContext) {
      req.tradeIds.forEach((id, i) => {
        if (id.length < 1 || id.length > MAX_TRADE_ID_LENGTH) throw invalidArgument(`trade_ids[${i}]`, `1–${MAX_TRADE_ID_LENGTH} characters`, id);
      });
      const wanted = (e: { tradeId: string; strategyRef: string }): boolean =>
        (req.tradeIds.length === 0 || req.tradeIds.includes(e.tradeId)) && (req.strategyRef === "" || req.strategyRef === e.strategyRef);
      const queue: StreamSpreadEventsResponse[] = [];
      let wake: (() => void) | undefined;
      // An object, so the flag set in the listener is re-read by the loop.
      const backlog = { overflow: false };
      const unsubscribe = executor.subscribe((event) => {
        if (!wanted(event)) return;
        if (queue.length >= MAX_BACKLOG) backlog.overflow = true;
        else queue.push(event);
        wake?.();
      });
      try {
        if (req.sendInitialState) {
          for (const order of executor.views()) {
            if (!wanted(order) || isTerminal(order.phase)) continue;
            yield create(StreamSpreadEventsResponseSchema, { tradeId: order.tradeId, strategyRef: order.strategyRef, time: timestampFromMs(now()), initial: true, order });
          }
        }
        while (!ctx.signal.aborted) {
          if (backlog.overflow) throw new Error("stream reader fell too far behind");
          const next = queue.shift();
          if (next !== undefined) { yield next; continue; }
          await new Promise<void>((resolve) => {
            wake = resolve;
            ctx.signal.addEventListener("abort", () => { resolve(); }, { once: true });
          });
          wake = undefined;
        }
      } finally {
        unsubscribe();
      }
    },
  };
}
