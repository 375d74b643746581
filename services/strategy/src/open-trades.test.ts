import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { ListSpreadsResponseSchema, SpreadOrderSchema, TradePhase } from "@spreadops/api";
import type { ListSpreadsRequest } from "@spreadops/api";
import { describe, expect, it } from "vitest";
import { ExecutionOpenTrades } from "./open-trades.js";

const NOW = Date.parse("2026-03-10T18:00:00Z");
const order = (init: MessageInitShape<typeof SpreadOrderSchema>) => create(SpreadOrderSchema, init);

describe("ExecutionOpenTrades", () => {
  it("lists the strategy's non-terminal spreads and sums today's realized + unrealized P&L", async () => {
    const requests: ListSpreadsRequest[] = [];
    const port = new ExecutionOpenTrades(
      {
        listSpreads: (request) => {
          requests.push(request as ListSpreadsRequest);
          return Promise.resolve(create(ListSpreadsResponseSchema, {
            orders: [
              order({ phase: TradePhase.OPEN, spec: { underlying: "SPY", expiry: 20260417 }, maxLossUsd: 380, unrealizedPnlUsd: -120, realizedPnlUsd: 10 }),
              order({ phase: TradePhase.SUBMITTED, spec: { underlying: "QQQ", expiry: 20260417 }, maxLossUsd: 200 }),
              // Closed today (New York date 2026-03-10): counts as realized today.
              order({ phase: TradePhase.CLOSED, phaseSince: timestampFromMs(Date.parse("2026-03-10T15:00:00Z")), realizedPnlUsd: -300 }),
              // Closed yesterday in New York (late evening UTC-4/5): not today.
              order({ phase: TradePhase.CLOSED, phaseSince: timestampFromMs(Date.parse("2026-03-10T03:00:00Z")), realizedPnlUsd: -999 }),
              order({ phase: TradePhase.CANCELLED, maxLossUsd: 500 }),
            ],
          }));
        },
      },
      { now: () => NOW, timeZone: "America/New_York" },
    );
    const snapshot = await port.list("default/spy-bull");
    expect(requests.map((r) => r.strategyRef)).toEqual(["default/spy-bull"]);
    expect(snapshot).toEqual({
      openTrades: [{ symbol: "SPY", expiry: 20260417, maxLossUsd: 380 }, { symbol: "QQQ", expiry: 20260417, maxLossUsd: 200 }],
      realizedTodayUsd: -290,
      unrealizedUsd: -120,
    });
  });
});
