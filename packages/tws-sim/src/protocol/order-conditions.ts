import { ProtocolError } from "./errors.js";
import type { FieldReader } from "./fields.js";
import { formatBool, formatDouble, formatInt } from "./field-writer.js";

/** How a condition combines with the next one. */
export type Conjunction = "and" | "or";

/** Triggers when a contract's price crosses a value. */
export interface PriceCondition {
  readonly type: "price";
  readonly conjunction: Conjunction;
  readonly isMore: boolean;
  readonly price: number;
  readonly conId: number;
  readonly exchange: string;
  /** IB trigger method: 0 default, 1 double bid/ask, 2 last, 3 double last, 4 bid/ask, 7 last or bid/ask, 8 mid-point. */
  readonly triggerMethod: number;
}

/** Triggers at a time (`yyyyMMdd HH:mm:ss <tz>`). */
export interface TimeCondition {
  readonly type: "time";
  readonly conjunction: Conjunction;
  readonly isMore: boolean;
  readonly time: string;
}

/** Triggers when the margin cushion crosses a percentage. */
export interface MarginCondition {
  readonly type: "margin";
  readonly conjunction: Conjunction;
  readonly isMore: boolean;
  readonly percent: number;
}

/** Triggers on an execution in a matching contract. */
export interface ExecutionCondition {
  readonly type: "execution";
  readonly conjunction: Conjunction;
  readonly secType: string;
  readonly exchange: string;
  readonly symbol: string;
}

/** Triggers when a contract's volume crosses a value. */
export interface VolumeCondition {
  readonly type: "volume";
  readonly conjunction: Conjunction;
  readonly isMore: boolean;
  readonly volume: number;
  readonly conId: number;
  readonly exchange: string;
}

/** Triggers when a contract's percent change crosses a value. */
export interface PercentChangeCondition {
  readonly type: "percentChange";
  readonly conjunction: Conjunction;
  readonly isMore: boolean;
  readonly changePercent: number;
  readonly conId: number;
  readonly exchange: string;
}

/** An order condition (placeOrder / openOrder / completedOrder). */
export type OrderCondition =
  | PriceCondition
  | TimeCondition
  | MarginCondition
  | ExecutionCondition
  | VolumeCondition
  | PercentChangeCondition;

/** Wire ids of the condition types. */
export const OrderConditionTypeId = {
  price: 1,
  time: 3,
  margin: 4,
  execution: 5,
  volume: 6,
  percentChange: 7,
} as const;

function readConjunction(reader: FieldReader): Conjunction {
  const raw = reader.readString("condition conjunction");
  const lower = raw.toLowerCase();
  if (lower === "a" || lower === "and") return "and";
  if (lower === "o" || lower === "or") return "or";
  throw new ProtocolError("badField", `${reader.messageName}: condition conjunction must be "a" or "o", got ${JSON.stringify(raw)}`, {
    messageName: reader.messageName,
    field: "condition conjunction",
    fieldIndex: reader.position - 1,
    value: raw,
  });
}

/** Reads one condition: its type id, conjunction, then the type's fields. */
export function readOrderCondition(reader: FieldReader): OrderCondition {
  const typeId = reader.readInt("condition type");
  const conjunction = readConjunction(reader);
  switch (typeId) {
    case OrderConditionTypeId.price:
      return {
        type: "price",
        conjunction,
        isMore: reader.readFlag("condition isMore"),
        price: reader.readDouble("condition price"),
        conId: reader.readOptionalInt("condition conId") ?? 0,
        exchange: reader.readString("condition exchange"),
        triggerMethod: reader.readOptionalInt("condition triggerMethod") ?? 0,
      };
    case OrderConditionTypeId.time:
      return { type: "time", conjunction, isMore: reader.readFlag("condition isMore"), time: reader.readString("condition time") };
    case OrderConditionTypeId.margin:
      return {
        type: "margin",
        conjunction,
        isMore: reader.readFlag("condition isMore"),
        percent: reader.readDouble("condition percent"),
      };
    case OrderConditionTypeId.execution:
      return {
        type: "execution",
        conjunction,
        secType: reader.readString("condition secType"),
        exchange: reader.readString("condition exchange"),
        symbol: reader.readString("condition symbol"),
      };
    case OrderConditionTypeId.volume:
      return {
        type: "volume",
        conjunction,
        isMore: reader.readFlag("condition isMore"),
        volume: reader.readDouble("condition volume"),
        conId: reader.readOptionalInt("condition conId") ?? 0,
        exchange: reader.readString("condition exchange"),
      };
    case OrderConditionTypeId.percentChange:
      return {
        type: "percentChange",
        conjunction,
        isMore: reader.readFlag("condition isMore"),
        changePercent: reader.readDouble("condition changePercent"),
        conId: reader.readOptionalInt("condition conId") ?? 0,
        exchange: reader.readString("condition exchange"),
      };
    default:
      throw new ProtocolError("badField", `${reader.messageName}: unknown order condition type ${typeId}`, {
        messageName: reader.messageName,
        field: "condition type",
        value: String(typeId),
      });
  }
}

/**
 * Appends the conditions block: the count, each condition, and — only when there is at least
 * one — conditionsIgnoreRth and conditionsCancelOrder.
 */
export function writeOrderConditions(
  out: string[],
  conditions: readonly OrderCondition[] | undefined,
  ignoreRth: boolean | undefined,
  cancelOrder: boolean | undefined,
): void {
  const list = conditions ?? [];
  out.push(formatInt(list.length));
  if (list.length === 0) return;
  for (const condition of list) {
    out.push(formatInt(OrderConditionTypeId[condition.type]), condition.conjunction === "and" ? "a" : "o");
    switch (condition.type) {
      case "price":
        out.push(
          formatBool(condition.isMore),
          formatDouble(condition.price),
          formatInt(condition.conId),
          condition.exchange,
          formatInt(condition.triggerMethod),
        );
        break;
      case "time":
        out.push(formatBool(condition.isMore), condition.time);
        break;
      case "margin":
        // Both clients read the margin percentage as an int.
        out.push(formatBool(condition.isMore), formatInt(Math.round(condition.percent)));
        break;
      case "execution":
        out.push(condition.secType, condition.exchange, condition.symbol);
        break;
      case "volume":
        out.push(formatBool(condition.isMore), formatInt(Math.round(condition.volume)), formatInt(condition.conId), condition.exchange);
        break;
      case "percentChange":
        out.push(formatBool(condition.isMore), formatDouble(condition.changePercent), formatInt(condition.conId), condition.exchange);
        break;
    }
  }
  out.push(formatBool(ignoreRth), formatBool(cancelOrder));
}
