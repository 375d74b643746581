/** reqMktData (streaming and snapshots), cancelMktData, reqMarketDataType. */
import { marketDataTypeFields, tickReqParamsFields, tickSnapshotEndFields } from "../../protocol/index.js";
import type { HandlerContext } from "../context.js";
import type { Session } from "../session.js";
import type { MarketDataLine } from "../session-state.js";
import { lineTicks } from "../ticks.js";
import { resolveOne } from "./resolve.js";
import type { HandlerTable } from "./types.js";

/** Whether quotes may flow now: the IB link is up and the market-data farm is OK. */
export function dataFlows(ctx: HandlerContext): boolean {
  return ctx.link.connected && (ctx.link.farms.get("marketData") ?? true);
}

/** Stops a line and gives its market-data line back. */
export function closeLine(ctx: HandlerContext, session: Session, line: MarketDataLine): void {
  line.unsubscribe();
  ctx.lines.release(line.lineKey);
  session.state.marketData.delete(line.tickerId);
}

/** Closes every line of a session (disconnect, or connectivity restored with data lost). */
export function closeAllLines(ctx: HandlerContext, session: Session): void {
  for (const line of [...session.state.marketData.values()]) closeLine(ctx, session, line);
}

/** Sends the changed ticks of every due line of a session. */
export function flushLines(ctx: HandlerContext, session: Session, wallNow: number): void {
  if (session.state.marketData.size === 0 || !dataFlows(ctx)) return;
  for (const line of session.state.marketData.values()) {
    if (!line.dirty || wallNow - line.lastSentWallMs < ctx.settings.minTickIntervalMs) continue;
    line.dirty = false;
    line.lastSentWallMs = wallNow;
    for (const fields of lineTicks(line, ctx.market, session.state.marketDataType, false)) session.sendAlways(fields);
  }
}

export const marketDataHandlers: HandlerTable = {
  reqMarketDataType: (_ctx, session, request) => {
    if (request.marketDataType >= 1 && request.marketDataType <= 4) session.state.marketDataType = request.marketDataType;
  },

  reqMktData: (ctx, session, request) => {
    const { tickerId } = request;
    if (session.state.marketData.has(tickerId)) {
      session.error(tickerId, 102, "Duplicate ticker ID.");
      return;
    }
    if (request.contract.secType.toUpperCase() === "BAG") {
      session.error(tickerId, 321, "Error validating request.-'bW' : cause - combo market data is not simulated");
      return;
    }
    const resolved = resolveOne(ctx.market, request.contract);
    if (!resolved.ok) {
      session.error(tickerId, 200, resolved.message);
      return;
    }
    const contract = resolved.contract;
    const lineKey = `${session.clientId ?? 0}:${tickerId}`;
    if (!ctx.lines.acquire(lineKey)) {
      ctx.stats.linesRejected++;
      session.error(tickerId, 101, "Max number of tickers has been reached.");
      return;
    }
    const line: MarketDataLine = {
      tickerId,
      conId: contract.conId,
      isOption: contract.secType === "OPT",
      genericTicks: new Set(request.genericTicks),
      lineKey,
      sent: new Map(),
      dirty: false,
      lastSentWallMs: ctx.wallNow(),
      unsubscribe: () => undefined,
    };
    session.send(tickReqParamsFields({ tickerId, minTick: contract.minTick, bboExchange: "9c0001", snapshotPermissions: 3 }));
    session.send(marketDataTypeFields(tickerId, session.state.marketDataType));
    const ticks = dataFlows(ctx) ? lineTicks(line, ctx.market, session.state.marketDataType, true) : [];
    for (const fields of ticks) session.send(fields);
    if (request.snapshot || request.regulatorySnapshot) {
      ctx.lines.release(lineKey);
      session.send(tickSnapshotEndFields(tickerId));
      return;
    }
    line.unsubscribe = ctx.market.subscribe(contract.conId, () => {
      line.dirty = true;
    });
    // Nothing was sent while data did not flow: the first flush must send everything.
    if (ticks.length === 0) line.dirty = true;
    session.state.marketData.set(tickerId, line);
  },

  cancelMktData: (ctx, session, request) => {
    const line = session.state.marketData.get(request.tickerId);
    if (line === undefined) {
      session.error(request.tickerId, 300, `Can't find EId with tickerId:${request.tickerId}`);
      return;
    }
    closeLine(ctx, session, line);
  },
};
