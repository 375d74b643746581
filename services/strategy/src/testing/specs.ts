import { create } from "@bufbuild/protobuf";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { StrategySpec } from "@spreadops/api";
import { Approval, Direction, Indicator, SpreadKindSelection, StrategySpecSchema, TradingMode } from "@spreadops/api";

/** A valid spec like the ARCHITECTURE.md example, with overrides (test helper). */
export function validSpec(overrides: MessageInitShape<typeof StrategySpecSchema> = {}): StrategySpec {
  const base: MessageInitShape<typeof StrategySpecSchema> = {
    mode: TradingMode.PAPER,
    universe: { symbols: ["SPY", "QQQ", "IWM"], minPrice: 20 },
    schedule: { timezone: "America/New_York", window: { start: "09:45", end: "15:45" }, scanInterval: { seconds: 300n } },
    entry: [
      { indicator: Indicator.RSI, period: 14, below: 30, direction: Direction.BULLISH },
      { indicator: Indicator.SMA_CROSS, fast: 20, slow: 50, direction: Direction.BULLISH },
    ],
    spread: { kind: SpreadKindSelection.AUTO, creditWhenIvPercentileAbove: 80, dte: { min: 30, max: 60 }, shortDelta: { min: 0.25, max: 0.35 }, width: { min: 1, max: 10 } },
    risk: { maxOpenTrades: 5, maxRiskPerTrade: 500, maxDailyLoss: 1000 },
    execution: { approval: Approval.MANUAL, limitOffset: 0.02 },
  };
  return create(StrategySpecSchema, { ...base, ...overrides } as MessageInitShape<typeof StrategySpecSchema>);
}
