/** Market scanner subscriptions. */
import type { ScanCode, ScanFilter } from "../../market/index.js";
import { isScanCode, MAX_SCAN_ROWS } from "../../market/index.js";
import { scannerDataFields, scannerParametersFields } from "../../protocol/index.js";
import type { ReqScannerSubscriptionRequest } from "../../protocol/index.js";
import type { HandlerContext } from "../context.js";
import type { Session } from "../session.js";
import { contractInput } from "../wire.js";
import type { HandlerTable } from "./types.js";

const SCANNER_XML =
  '<?xml version="1.0" encoding="UTF-8"?><ScanParameterResponse><InstrumentList><Instrument><type>STK</type></Instrument></InstrumentList>' +
  "<ScanTypeList>" +
  ["MOST_ACTIVE", "MOST_ACTIVE_USD", "TOP_PERC_GAIN", "TOP_PERC_LOSE", "HOT_BY_VOLUME", "HIGH_OPT_IMP_VOLAT", "LOW_OPT_IMP_VOLAT"]
    .map((code) => `<ScanType><scanCode>${code}</scanCode><instruments>STK</instruments></ScanType>`)
    .join("") +
  "</ScanTypeList></ScanParameterResponse>";

const positive = (value: number | undefined): number | undefined =>
  value === undefined || !Number.isFinite(value) || value >= Number.MAX_VALUE ? undefined : value;

/** The market scan a subscription asks for; IB's market caps are in millions of USD. */
export function scanFilter(request: ReqScannerSubscriptionRequest): ScanFilter {
  const s = request.subscription;
  const tag = (name: string): number | undefined => {
    const raw = request.filterOptions.find((t) => t.tag.toLowerCase() === name.toLowerCase())?.value;
    return raw === undefined || raw === "" ? undefined : positive(Number(raw));
  };
  const minPrice = positive(s.abovePrice) ?? tag("priceAbove");
  const maxPrice = positive(s.belowPrice) ?? tag("priceBelow");
  const minVolume = positive(s.aboveVolume) ?? tag("volumeAbove");
  const capAbove = positive(s.marketCapAbove) ?? tag("marketCapAbove1e6");
  const capBelow = positive(s.marketCapBelow) ?? tag("marketCapBelow1e6");
  const minAverageVolume = tag("avgVolumeAbove");
  const rows = s.numberOfRows === undefined || s.numberOfRows <= 0 ? MAX_SCAN_ROWS : Math.min(s.numberOfRows, MAX_SCAN_ROWS);
  const stockType = s.stockTypeFilter.toUpperCase();
  return {
    scanCode: s.scanCode as ScanCode,
    ...(minPrice === undefined ? {} : { minPrice }),
    ...(maxPrice === undefined ? {} : { maxPrice }),
    ...(minVolume === undefined ? {} : { minVolume }),
    ...(minAverageVolume === undefined ? {} : { minAverageVolume }),
    ...(capAbove === undefined ? {} : { minMarketCap: capAbove * 1e6 }),
    ...(capBelow === undefined ? {} : { maxMarketCap: capBelow * 1e6 }),
    ...(stockType === "ETF" ? { stockType: "ETF" as const } : stockType === "CORP" ? { stockType: "COMMON" as const } : {}),
    maxRows: rows,
  };
}

function sendScan(ctx: HandlerContext, session: Session, reqId: number, filter: ScanFilter): void {
  const rows = ctx.market.scan(filter).map((row) => ({
    rank: row.rank,
    contract: contractInput(row.contract),
    marketName: row.contract.tradingClass,
  }));
  session.send(scannerDataFields(reqId, rows));
}

export const scannerHandlers: HandlerTable = {
  reqScannerParameters: (_ctx, session) => {
    session.send(scannerParametersFields(SCANNER_XML));
  },

  reqScannerSubscription: (ctx, session, request) => {
    const { reqId } = request;
    if (!isScanCode(request.subscription.scanCode)) {
      session.error(reqId, 162, `Historical Market Data Service error message:Scanner type ${request.subscription.scanCode} is not supported`);
      return;
    }
    if (session.state.scanners.has(reqId)) {
      session.error(reqId, 322, `Error processing request:-'bc' : cause - Duplicate scanner id ${reqId}`);
      return;
    }
    const filter = scanFilter(request);
    sendScan(ctx, session, reqId, filter);
    session.state.scanners.set(reqId, {
      reqId,
      refresh: () => {
        sendScan(ctx, session, reqId, filter);
      },
      lastSentWallMs: ctx.wallNow(),
    });
  },

  cancelScannerSubscription: (_ctx, session, request) => {
    session.state.scanners.delete(request.reqId);
  },
};
