import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  BrokerOrderSchema,
  CommissionReportSchema,
  ExecutionSchema,
  IbErrorSchema,
  OptionRight,
  OrderRequestSchema,
  OrderType,
  SecType,
  TimeInForce,
} from "@spreadops/api";
import type { BrokerOrder, CommissionReport, Execution, IbError, OrderRequest } from "@spreadops/api";
import type { CommissionReport as IbCommissionReport, Contract, Order } from "@stoqey/ib";
import { redactAccount } from "@spreadops/runtime";
import { ibNumber, secTypeText, toOrderAction } from "./ib-values.js";
import type { MirrorExecution, MirrorOrder, OrderErrorRecord } from "./mirror-types.js";
import type { OrderMirror } from "./order-mirror.js";

/** The API sec type of IB's secType text. */
export function secTypeOf(text: string | undefined): SecType {
  switch (text) {
    case "STK":
      return SecType.STOCK;
    case "OPT":
      return SecType.OPTION;
    case "IND":
      return SecType.INDEX;
    case "BAG":
      return SecType.COMBO;
    default:
      return SecType.UNSPECIFIED;
  }
}

/** The API right of IB's right text ("C", "CALL", "P", "PUT"). */
export function rightOf(text: string | undefined): OptionRight {
  const t = text?.toUpperCase();
  if (t === "C" || t === "CALL") return OptionRight.CALL;
  if (t === "P" || t === "PUT") return OptionRight.PUT;
  return OptionRight.UNSPECIFIED;
}

/** YYYYMMDD of IB's lastTradeDateOrContractMonth; 0 when absent. */
export function expiryOf(text: string | undefined): number {
  const digits = /^(\d{8})/.exec(text ?? "")?.[1];
  return digits === undefined ? 0 : Number(digits);
}

/** IB's execution time "YYYYMMDD-HH:MM:SS" (UTC) or "YYYYMMDD HH:MM:SS [zone]"; undefined when unreadable. */
export function parseExecTime(text: string | undefined): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})[- ]+(\d{2}):(\d{2}):(\d{2})(?:\s+(\S+))?$/.exec(text?.trim() ?? "");
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, zone] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (zone === undefined || zone === "UTC" || zone === "GMT") return utc;
  // A named zone: shift by that zone's offset at that instant (two passes settle DST edges).
  try {
    const offsetAt = (ms: number): number => {
      const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(ms);
      const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
      return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second")) - ms;
    };
    const first = utc - offsetAt(utc);
    return utc - offsetAt(first);
  } catch {
    return undefined;
  }
}

/** An IB error record as the API's IbError. */
export function toIbError(error: OrderErrorRecord): IbError {
  return create(IbErrorSchema, {
    code: error.code,
    message: error.message,
    id: error.id,
    time: timestampFromMs(error.time),
    warning: error.warning,
    advancedOrderRejectJson: error.advancedOrderRejectJson,
  });
}

/** IB's commission report as the API's; IB's unset realized P&L (opening executions) stays unset. */
export function toCommissionReport(report: IbCommissionReport): CommissionReport {
  const realized = ibNumber(report.realizedPNL);
  return create(CommissionReportSchema, {
    commission: ibNumber(report.commission) ?? 0,
    currency: report.currency ?? "",
    ...(realized === undefined ? {} : { realizedPnl: realized }),
  });
}

/** A mirror execution as the API's Execution (account masked). */
export function toExecution(e: MirrorExecution): Execution {
  const x = e.execution;
  const c = e.contract;
  return create(ExecutionSchema, {
    execId: e.execId,
    orderId: e.orderId,
    permId: e.permId,
    orderRef: e.orderRef,
    conId: c.conId ?? 0,
    symbol: c.symbol ?? "",
    secType: secTypeOf(c.secType),
    expiry: expiryOf(c.lastTradeDateOrContractMonth),
    strike: ibNumber(c.strike) ?? 0,
    right: rightOf(c.right),
    side: toOrderAction(x.side),
    quantity: ibNumber(x.shares) ?? 0,
    price: ibNumber(x.price) ?? 0,
    cumulativeQuantity: ibNumber(x.cumQty) ?? 0,
    avgPrice: ibNumber(x.avgPrice) ?? 0,
    time: timestampFromMs(parseExecTime(x.time) ?? e.receivedAt),
    exchange: x.exchange ?? "",
    accountMasked: x.acctNumber === undefined || x.acctNumber === "" ? "" : redactAccount(x.acctNumber),
    ...(e.commission === undefined ? {} : { commissionReport: toCommissionReport(e.commission) }),
  });
}

/** The API's OrderRequest of an order only IB reported (adopted orders). */
export function requestFromIb(contract: Contract | undefined, order: Order | undefined): OrderRequest {
  const orderTypeText: string | undefined = order?.orderType;
  const request = create(OrderRequestSchema, {
    orderRef: order?.orderRef ?? "",
    action: toOrderAction(order?.action),
    quantity: ibNumber(order?.totalQuantity) ?? 0,
    orderType: orderTypeText === "LMT" ? OrderType.LIMIT : orderTypeText === "MKT" ? OrderType.MARKET : OrderType.UNSPECIFIED,
    timeInForce: order?.tif === "GTC" ? TimeInForce.GTC : order?.tif === "DAY" ? TimeInForce.DAY : TimeInForce.UNSPECIFIED,
    outsideRth: order?.outsideRth ?? false,
    nonGuaranteed: (order?.smartComboRoutingParams ?? []).some((p) => p.tag === "NonGuaranteed" && p.value === "1"),
  });
  const limit = ibNumber(order?.lmtPrice);
  if (limit !== undefined) request.limitPrice = limit;
  if (contract !== undefined && secTypeText(contract) === "BAG") {
    request.contract = {
      $typeName: "spreadops.v1.OrderContract",
      instrument: {
        case: "combo",
        value: {
          $typeName: "spreadops.v1.ComboContract",
          symbol: contract.symbol ?? "",
          currency: contract.currency ?? "",
          exchange: contract.exchange ?? "",
          legs: (contract.comboLegs ?? []).map((leg) => ({
            $typeName: "spreadops.v1.ComboLeg" as const,
            conId: leg.conId ?? 0,
            ratio: leg.ratio ?? 1,
            action: toOrderAction(leg.action),
            exchange: leg.exchange ?? "",
          })),
        },
      },
    };
  } else if (contract !== undefined) {
    request.contract = {
      $typeName: "spreadops.v1.OrderContract",
      instrument: {
        case: "single",
        value: {
          $typeName: "spreadops.v1.ContractSpec",
          conId: contract.conId ?? 0,
          symbol: contract.symbol ?? "",
          secType: secTypeOf(contract.secType),
          exchange: contract.exchange ?? "",
          primaryExchange: contract.primaryExch ?? "",
          currency: contract.currency ?? "",
          expiry: expiryOf(contract.lastTradeDateOrContractMonth),
          right: rightOf(contract.right),
          tradingClass: contract.tradingClass ?? "",
          ...(ibNumber(contract.strike) === undefined || secTypeText(contract) !== "OPT" ? {} : { strike: contract.strike }),
        },
      },
    };
  }
  return request;
}

/** A mirror order with its executions as the API's BrokerOrder. */
export function toBrokerOrder(mirror: OrderMirror, o: MirrorOrder): BrokerOrder {
  return create(BrokerOrderSchema, {
    orderId: o.orderId,
    permId: o.permId,
    clientId: o.clientId,
    orderRef: o.orderRef,
    order: o.request ?? requestFromIb(o.contract, o.order),
    status: o.status,
    filledQuantity: o.filled,
    remainingQuantity: o.remaining,
    ...(o.avgFillPrice === undefined ? {} : { avgFillPrice: o.avgFillPrice }),
    ...(o.lastFillPrice === undefined ? {} : { lastFillPrice: o.lastFillPrice }),
    whyHeld: o.whyHeld,
    completed: o.completed,
    executions: mirror.executionsOf(o).map(toExecution),
    errors: o.errors.map(toIbError),
    createdAt: timestampFromMs(o.createdAt),
    updatedAt: timestampFromMs(o.updatedAt),
  });
}
