import type { ContractInput } from "../contract.js";
import { formatDouble, formatInt } from "../field-writer.js";
import { OutgoingMessageId as Out } from "../message-ids.js";

/** `scannerParameters`: `[19, 1, xml]`, the XML description of every scan and filter. */
export function scannerParametersFields(xml: string): string[] {
  return [formatInt(Out.scannerParameters), "1", xml];
}

/** One row of a scan. */
export interface ScannerRow {
  /** 0-based position in the result. */
  readonly rank: number;
  /** Identified by conId, symbol and secType; `primaryExch` is not on the wire. */
  readonly contract: ContractInput;
  /** e.g. `NMS`. */
  readonly marketName?: string;
  readonly distance?: string;
  readonly benchmark?: string;
  readonly projection?: string;
  /** Combo description for combo scans. */
  readonly legsStr?: string;
}

/**
 * `scannerData`: `[20, 3, reqId, count, 16 fields per row…]`. Each message is one complete
 * result; @stoqey/ib emits scannerDataEnd after it.
 */
export function scannerDataFields(reqId: number, rows: readonly ScannerRow[]): string[] {
  const out = [formatInt(Out.scannerData), "3", formatInt(reqId), formatInt(rows.length)];
  for (const row of rows) {
    const c = row.contract;
    // A scanner row has no multiplier and puts marketName before tradingClass.
    out.push(
      formatInt(row.rank),
      formatInt(c.conId),
      c.symbol,
      c.secType,
      c.lastTradeDateOrContractMonth ?? "",
      formatDouble(c.strike ?? 0),
      c.right ?? "",
      c.exchange ?? "",
      c.currency ?? "",
      c.localSymbol ?? "",
      row.marketName ?? "",
      c.tradingClass ?? "",
      row.distance ?? "",
      row.benchmark ?? "",
      row.projection ?? "",
      row.legsStr ?? "",
    );
  }
  return out;
}
