import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { SpreadOrder } from "@spreadops/api";
import { TradePhase } from "@spreadops/api";
import type { ExecutionListPort, OpenTradesPort } from "./ports.js";
import type { OpenTradesSnapshot } from "./risk-budget.js";
import { localDate } from "./schedule.js";

/** Phases of a trade that still holds (or may soon hold) risk. */
export const NON_TERMINAL_PHASES: readonly TradePhase[] = [
  TradePhase.PROPOSED,
  TradePhase.PREVIEWED,
  TradePhase.APPROVED,
  TradePhase.SUBMITTED,
  TradePhase.PARTIALLY_FILLED,
  TradePhase.OPEN,
  TradePhase.CLOSING,
];

const TERMINAL = new Set<TradePhase>([TradePhase.CLOSED, TradePhase.REJECTED, TradePhase.CANCELLED, TradePhase.EXPIRED]);

/** Options of {@link ExecutionOpenTrades}. */
export interface ExecutionOpenTradesOptions {
  /** The clock, ms since the epoch. */
  readonly now: () => number;
  /** Time zone of the exchange day that "today's" realized P&L counts in. */
  readonly timeZone: string;
}

/**
 * Open trades from ExecutionService.ListSpreads (all phases, so trades closed today still count
 * towards today's realized P&L). A trade counts as realized today when it reached its terminal
 * phase on the exchange's current date; non-terminal trades add their realized (partial closes)
 * and unrealized P&L.
 */
export class ExecutionOpenTrades implements OpenTradesPort {
  constructor(
    private readonly client: ExecutionListPort,
    private readonly options: ExecutionOpenTradesOptions,
  ) {}

  async list(strategyRef: string, options: { readonly signal?: AbortSignal } = {}): Promise<OpenTradesSnapshot> {
    const response = await this.client.listSpreads({ strategyRef }, options.signal === undefined ? {} : { signal: options.signal });
    return summarizeSpreads(response.orders, localDate(this.options.now(), this.options.timeZone), this.options.timeZone);
  }
}

/** The snapshot of a list of spreads on exchange date `today` (YYYYMMDD in `timeZone`). */
export function summarizeSpreads(orders: readonly SpreadOrder[], today: number, timeZone: string): OpenTradesSnapshot {
  let realizedTodayUsd = 0;
  let unrealizedUsd = 0;
  const openTrades = [];
  for (const order of orders) {
    if (TERMINAL.has(order.phase)) {
      const since = order.phaseSince === undefined ? undefined : localDate(timestampMs(order.phaseSince), timeZone);
      if (since === today) realizedTodayUsd += order.realizedPnlUsd ?? 0;
      continue;
    }
    openTrades.push({ symbol: order.spec?.underlying ?? "", expiry: order.spec?.expiry ?? 0, maxLossUsd: order.maxLossUsd });
    realizedTodayUsd += order.realizedPnlUsd ?? 0;
    unrealizedUsd += order.unrealizedPnlUsd ?? 0;
  }
  return { openTrades, realizedTodayUsd, unrealizedUsd };
}
