import { MarketDataType } from "@spreadops/api";

/** TWS's market-data type numbers (1 live … 4 delayed-frozen) are the contract's enum numbers; anything else is unknown. */
export function marketDataTypeOf(value: number): MarketDataType {
  switch (value) {
    case 1:
      return MarketDataType.LIVE;
    case 2:
      return MarketDataType.FROZEN;
    case 3:
      return MarketDataType.DELAYED;
    case 4:
      return MarketDataType.DELAYED_FROZEN;
    default:
      return MarketDataType.UNSPECIFIED;
  }
}
