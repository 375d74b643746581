/** reqHistoricalData (with keepUpToDate streams), reqHeadTimestamp and their cancels. */
import type { Bar, MarketSource, WhatToShow } from "../../market/index.js";
import { MarketDataError, parseBarSize } from "../../market/index.js";
import { formatTwsDateTime, headTimestampFields, historicalDataFields } from "../../protocol/index.js";
import type { HandlerContext } from "../context.js";
import type { HistoricalStream } from "../historical-updates.js";
import { barKey, historicalUpdate } from "../historical-updates.js";
import { parseTwsTime } from "../time-parse.js";
import { WIRE_TIME_ZONE, wireBar } from "../wire.js";
import type { Session } from "../session.js";
import { resolveOne } from "./resolve.js";
import type { HandlerTable } from "./types.js";

const HMDS = "Historical Market Data Service error message:";
const WHAT_TO_SHOW: ReadonlySet<string> = new Set<WhatToShow>(["TRADES", "MIDPOINT", "OPTION_IMPLIED_VOLATILITY"]);

/** The earliest bar of a stock: the start of its synthetic history. */
function headTimestamp(market: MarketSource, conId: number): number | undefined {
  try {
    const bars = market.historicalBars(conId, { duration: "20 Y", barSize: "1 month", whatToShow: "TRADES", useRth: true });
    return bars[0]?.time;
  } catch {
    return undefined;
  }
}

/** historicalDataUpdate messages of a session's keepUpToDate streams whose forming bar changed. */
export function historicalStreamUpdates(ctx: HandlerContext, session: Session): string[][] {
  const streams = session.state.historicalStreams;
  // Like live quotes, updates pause while the IB link or the HMDS farm is down.
  if (streams.size === 0 || !ctx.link.connected || !(ctx.link.farms.get("historical") ?? true)) return [];
  const out: string[][] = [];
  for (const stream of streams.values()) {
    const fields = historicalUpdate(ctx.market, stream);
    if (fields !== undefined) out.push(fields);
  }
  return out;
}

export const historicalHandlers: HandlerTable = {
  reqHistoricalData: (ctx, session, request) => {
    const { reqId } = request;
    if (!(ctx.link.farms.get("historical") ?? true)) {
      session.error(reqId, 162, `${HMDS}HMDS data farm connection is broken:ushmds`);
      return;
    }
    if (request.keepUpToDate && request.endDateTime.trim() !== "") {
      // TWS only keeps bars up to date when they end now.
      session.error(reqId, 321, "Error validating request.-'bM' : cause - End date not supported with live updates");
      return;
    }
    if (!WHAT_TO_SHOW.has(request.whatToShow)) {
      session.error(reqId, 162, `${HMDS}whatToShow ${request.whatToShow} is not supported by the simulator`);
      return;
    }
    const resolved = resolveOne(ctx.market, request.contract);
    if (!resolved.ok) {
      session.error(reqId, 200, resolved.message);
      return;
    }
    const conId = resolved.contract.conId;
    const identity = JSON.stringify([conId, request.endDateTime, request.durationStr, request.barSizeSetting, request.whatToShow, request.useRth]);
    const pacing = ctx.pacer.check({ identity, contractKey: `${conId}:${request.whatToShow}` }, ctx.wallNow());
    if (!pacing.ok) {
      ctx.stats.historicalViolations++;
      session.error(reqId, 162, pacing.reason);
      return;
    }
    const market = ctx.market;
    let end: number | undefined;
    if (request.endDateTime.trim() !== "") {
      end = parseTwsTime(request.endDateTime, market.calendar.timeZone);
      if (end === undefined) {
        session.error(reqId, 321, `Error validating request.-'bS' : cause - invalid endDateTime ${request.endDateTime}`);
        return;
      }
    }
    let bars: Bar[];
    try {
      bars = market.historicalBars(conId, {
        ...(end === undefined ? {} : { end }),
        duration: request.durationStr,
        barSize: request.barSizeSetting,
        whatToShow: request.whatToShow as WhatToShow,
        useRth: request.useRth,
      });
    } catch (error) {
      if (!(error instanceof MarketDataError)) throw error;
      const code = error.reason === "unknown-contract" ? 200 : 162;
      const text = error.reason === "no-data" ? `${HMDS}HMDS query returned no data: ${error.message}` : `${HMDS}${error.message}`;
      session.error(reqId, code, text);
      return;
    }
    const barSize = parseBarSize(request.barSizeSetting);
    const intraday = barSize.kind === "intraday";
    const endMs = end ?? market.now();
    const startMs = bars[0]?.time ?? endMs;
    const stamp = (ms: number): string =>
      request.formatDate === 2 ? String(Math.floor(ms / 1000)) : formatTwsDateTime(ms, WIRE_TIME_ZONE);
    session.send(
      historicalDataFields({
        reqId,
        start: stamp(startMs),
        end: stamp(endMs),
        bars: bars.map((bar) => wireBar(bar, intraday, request.formatDate)),
      }),
    );
    if (!request.keepUpToDate) return;
    const last = bars.at(-1);
    const stream: HistoricalStream = {
      reqId,
      conId,
      barSize,
      whatToShow: request.whatToShow as WhatToShow,
      useRth: request.useRth,
      formatDate: request.formatDate,
      lastSent: "",
    };
    // The history's last bar is the forming one: updates start from what the client has.
    if (last !== undefined) stream.lastSent = barKey(stream, last);
    session.state.historicalStreams.set(reqId, stream);
  },

  cancelHistoricalData: (_ctx, session, request) => {
    // Plain requests were answered at once: only keepUpToDate streams stay to cancel.
    session.state.historicalStreams.delete(request.reqId);
  },

  reqHeadTimestamp: (ctx, session, request) => {
    const resolved = resolveOne(ctx.market, request.contract);
    if (!resolved.ok) {
      session.error(request.reqId, 200, resolved.message);
      return;
    }
    const head = headTimestamp(ctx.market, resolved.contract.conId);
    if (head === undefined) {
      session.error(request.reqId, 162, `${HMDS}HMDS query returned no data`);
      return;
    }
    session.send(headTimestampFields(request.reqId, request.formatDate === 2 ? String(Math.floor(head / 1000)) : formatTwsDateTime(head, WIRE_TIME_ZONE)));
  },

  cancelHeadTimestamp: () => undefined,
};
