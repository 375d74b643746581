import { formatDecimal, formatDouble, formatInt } from "../field-writer.js";
import { OutgoingMessageId as Out } from "../message-ids.js";

/** Attributes of a price tick, packed into a bit mask on the wire. */
export interface TickAttributes {
  /** Bit 1. */
  readonly canAutoExecute?: boolean;
  /** Bit 2: the bid is below the day's low or the ask above the high. */
  readonly pastLimit?: boolean;
  /** Bit 4: pre-open. */
  readonly preOpen?: boolean;
}

/** A price tick with the size that goes with it. */
export interface TickPriceMessage {
  readonly tickerId: number;
  /** 1 bid, 2 ask, 4 last, 6 high, 7 low, 9 close, 14 open, 66–68 delayed bid/ask/last, … */
  readonly tickType: number;
  readonly price: number;
  /**
   * Always a real size: ib_async drops a bid/ask whose size is 0. @stoqey/ib never emits the bid
   * size carried here, so send a separate tickSize for bid size too (trap T11).
   */
  readonly size: number;
  readonly attributes?: TickAttributes;
}

/** `tickPrice`: exactly 7 fields, `[1, 6, tickerId, tickType, price, size, attrMask]` (version ≥3 required). */
export function tickPriceFields(tick: TickPriceMessage): string[] {
  const a = tick.attributes;
  const mask = a === undefined ? 0 : (a.canAutoExecute ? 1 : 0) | (a.pastLimit ? 2 : 0) | (a.preOpen ? 4 : 0);
  return [
    formatInt(Out.tickPrice),
    "6",
    formatInt(tick.tickerId),
    formatInt(tick.tickType),
    formatDouble(tick.price),
    formatDecimal(tick.size),
    formatInt(mask),
  ];
}

/** `tickSize`: `[2, 6, tickerId, tickType, size]`; tick types 0 bid, 3 ask, 5 last, 8 volume, 27/28 open interest, … */
export function tickSizeFields(tickerId: number, tickType: number, size: number): string[] {
  return [formatInt(Out.tickSize), "6", formatInt(tickerId), formatInt(tickType), formatDecimal(size)];
}

/** `tickGeneric`: `[45, 6, tickerId, tickType, value]`, e.g. 23 historical vol, 24 implied vol, 49 halted. */
export function tickGenericFields(tickerId: number, tickType: number, value: number): string[] {
  return [formatInt(Out.tickGeneric), "6", formatInt(tickerId), formatInt(tickType), formatDouble(value)];
}

/** `tickString`: `[46, 6, tickerId, tickType, value]`, e.g. 45 last timestamp, 32/33 bid/ask exchange. */
export function tickStringFields(tickerId: number, tickType: number, value: string): string[] {
  return [formatInt(Out.tickString), "6", formatInt(tickerId), formatInt(tickType), value];
}

/**
 * Option greeks and model values. Anything left undefined is sent as IB's "not computed"
 * sentinel (−1 for impliedVol, optPrice, pvDividend, undPrice; −2 for the greeks), never `""`:
 * ib_async parses each with a bare `float()` (trap T12).
 */
export interface TickOptionComputationMessage {
  readonly tickerId: number;
  /** 10 bid, 11 ask, 12 last, 13 model; 80–83 delayed. */
  readonly tickType: number;
  /** 0 return-based (the default), 1 price-based. */
  readonly tickAttrib?: number;
  readonly impliedVol?: number;
  readonly delta?: number;
  readonly optPrice?: number;
  readonly pvDividend?: number;
  readonly gamma?: number;
  readonly vega?: number;
  readonly theta?: number;
  readonly undPrice?: number;
}

const NOT_COMPUTED_PRICE = -1;
const NOT_COMPUTED_GREEK = -2;

function valueOr(value: number | undefined, sentinel: number): string {
  return formatDouble(value === undefined || Number.isNaN(value) ? sentinel : value);
}

/** `tickOptionComputation`: exactly 12 fields, no version at v156+, tickAttrib before impliedVol. */
export function tickOptionComputationFields(tick: TickOptionComputationMessage): string[] {
  return [
    formatInt(Out.tickOptionComputation),
    formatInt(tick.tickerId),
    formatInt(tick.tickType),
    formatInt(tick.tickAttrib ?? 0),
    valueOr(tick.impliedVol, NOT_COMPUTED_PRICE),
    valueOr(tick.delta, NOT_COMPUTED_GREEK),
    valueOr(tick.optPrice, NOT_COMPUTED_PRICE),
    valueOr(tick.pvDividend, NOT_COMPUTED_PRICE),
    valueOr(tick.gamma, NOT_COMPUTED_GREEK),
    valueOr(tick.vega, NOT_COMPUTED_GREEK),
    valueOr(tick.theta, NOT_COMPUTED_GREEK),
    valueOr(tick.undPrice, NOT_COMPUTED_PRICE),
  ];
}

/** `tickSnapshotEnd`: `[57, 1, tickerId]`, after a snapshot's ticks. */
export function tickSnapshotEndFields(tickerId: number): string[] {
  return [formatInt(Out.tickSnapshotEnd), "1", formatInt(tickerId)];
}

/** `marketDataType`: `[58, 1, tickerId, type]`; 1 live, 2 frozen, 3 delayed, 4 delayed-frozen. */
export function marketDataTypeFields(tickerId: number, marketDataType: number): string[] {
  return [formatInt(Out.marketDataType), "1", formatInt(tickerId), formatInt(marketDataType)];
}

/** The first reply to reqMktData. */
export interface TickReqParamsMessage {
  readonly tickerId: number;
  readonly minTick: number;
  /** e.g. `9c0001`; `""` is fine. */
  readonly bboExchange: string;
  /** Bit mask; 3 = snapshots allowed. */
  readonly snapshotPermissions: number;
}

/** `tickReqParams`: `[81, tickerId, minTick, bboExchange, snapshotPermissions]` (no version). */
export function tickReqParamsFields(params: TickReqParamsMessage): string[] {
  return [
    formatInt(Out.tickReqParams),
    formatInt(params.tickerId),
    formatDouble(params.minTick),
    params.bboExchange,
    formatInt(params.snapshotPermissions),
  ];
}
