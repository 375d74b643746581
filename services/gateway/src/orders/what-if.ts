import { create } from "@bufbuild/protobuf";
import { WhatIfResultSchema } from "@spreadops/api";
import type { WhatIfResult } from "@spreadops/api";
import { EventName } from "@stoqey/ib";
import type { OrderState } from "@stoqey/ib";
import { failedPrecondition } from "@spreadops/runtime";
import type { Clock } from "../scheduler/clock.js";
import { ibNumber, isWarningCode, toOrderStatus } from "./ib-values.js";
import type { IbOrder } from "./order-builder.js";
import type { OrderConnection } from "./wait-event.js";

const AMOUNTS = [
  ["initMarginBefore", "initMarginBefore"],
  ["maintMarginBefore", "maintMarginBefore"],
  ["equityWithLoanBefore", "equityWithLoanBefore"],
  ["initMarginChange", "initMarginChange"],
  ["maintMarginChange", "maintMarginChange"],
  ["equityWithLoanChange", "equityWithLoanChange"],
  ["initMarginAfter", "initMarginAfter"],
  ["maintMarginAfter", "maintMarginAfter"],
  ["equityWithLoanAfter", "equityWithLoanAfter"],
  ["commission", "commission"],
  ["minCommission", "minCommission"],
  ["maxCommission", "maxCommission"],
] as const satisfies readonly (readonly [keyof OrderState, keyof WhatIfResult])[];

/**
 * IB's what-if OrderState as the API's WhatIfResult. Unset, empty and max-double values stay
 * unset (unknown) — never 0; a real 0 stays 0.
 */
export function toWhatIfResult(state: OrderState | undefined, extraWarning?: string): WhatIfResult {
  const result = create(WhatIfResultSchema, {
    commissionCurrency: state?.commissionCurrency ?? "",
    status: toOrderStatus(state?.status),
    warningText: [state?.warningText ?? "", extraWarning ?? ""].filter((w) => w !== "").join("; "),
  });
  for (const [from, to] of AMOUNTS) {
    const value = ibNumber(state?.[from]);
    if (value !== undefined) result[to] = value;
  }
  return result;
}

/**
 * True when the state carries the answer: a margin change or commission IB computed. TWS may
 * first send an openOrder with only `warningText` and default values (ib_insync #380); that is
 * not the answer.
 */
export function hasWhatIfNumbers(state: OrderState): boolean {
  return ibNumber(state.initMarginChange) !== undefined || ibNumber(state.initMarginAfter) !== undefined || ibNumber(state.commission) !== undefined;
}

/** Counters the what-if runner reports. */
export interface WhatIfMetrics {
  outcome(outcome: "answered" | "timeout" | "rejected"): void;
  /** One per field left unknown in an answered or timed-out result. */
  unknownFields(count: number): void;
}

/** Collaborators of a {@link WhatIfRunner}. */
export interface WhatIfRunnerDeps {
  readonly connection: OrderConnection;
  readonly clock: Pick<Clock, "setTimer">;
  /** How long to wait for numeric margins before answering with unknowns. */
  readonly timeoutMs: number;
  readonly metrics?: WhatIfMetrics;
}

/**
 * Runs IB what-ifs: placeOrder with whatIf=true under a fresh order id, then waits for the
 * openOrder carrying numbers, a rejection, or the timeout — never longer (ib_async's what-if
 * hang). Nothing is placed; the mirror ignores what-if openOrders.
 */
export class WhatIfRunner {
  readonly #deps: WhatIfRunnerDeps;

  constructor(deps: WhatIfRunnerDeps) {
    this.#deps = deps;
  }

  /**
   * @throws ConnectError `failed_precondition` with IB's reason when IB refuses the order
   *   (201 or another non-warning error), `unavailable` when TWS cannot take it.
   */
  async run(ib: IbOrder, signal?: AbortSignal): Promise<WhatIfResult> {
    const { connection, clock, timeoutMs, metrics } = this.#deps;
    connection.checkAvailable("order");
    const orderId = connection.nextOrderId();
    const local = new AbortController();
    let latest: OrderState | undefined;
    const warnings: string[] = [];
    let cancelTimer: (() => void) | undefined;
    try {
      const outcome = await new Promise<{ kind: "answer" | "timeout" }>((resolve, reject) => {
        connection.on(EventName.openOrder, (id, _contract, order, state) => {
          if (id !== orderId || order.whatIf !== true) return;
          latest = state;
          if (hasWhatIfNumbers(state)) resolve({ kind: "answer" });
        }, local.signal);
        connection.on(EventName.error, (error, code, id) => {
          if (id !== orderId) return;
          if (isWarningCode(code)) warnings.push(`IB ${code}: ${error.message}`);
          else reject(failedPrecondition(`what-if refused by IB (${code}): ${error.message}`));
        }, local.signal);
        cancelTimer = clock.setTimer(timeoutMs, () => {
          resolve({ kind: "timeout" });
        });
        signal?.addEventListener("abort", () => {
          reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
        }, { once: true, signal: local.signal });
        connection.send("order", (api) => api.placeOrder(orderId, ib.contract, { ...ib.order, whatIf: true })).catch((error: unknown) => {
          reject(error instanceof Error ? error : new Error(String(error)));
        });
      });
      const timeoutText = outcome.kind === "timeout" ? `no what-if margin from TWS within ${timeoutMs} ms: margin and commission unknown` : undefined;
      const result = toWhatIfResult(latest, [...warnings, ...(timeoutText === undefined ? [] : [timeoutText])].join("; ") || undefined);
      metrics?.outcome(outcome.kind === "answer" ? "answered" : "timeout");
      metrics?.unknownFields(AMOUNTS.filter(([, to]) => result[to] === undefined).length);
      return result;
    } catch (error) {
      metrics?.outcome("rejected");
      throw error;
    } finally {
      cancelTimer?.();
      local.abort();
    }
  }
}
