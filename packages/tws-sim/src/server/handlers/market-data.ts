/** reqMktData (streaming and snapshots), cancelMktData, reqMarketDataType. */
import { marketDataTypeFields, tickReqParamsFields, tickSnapshotEndFields } from "../../protocol/index.js";
import type { HandlerContext } from "../context.js";
import type { Session } from "../session.js";
import type { MarketDataLine } from "../session-state.js";
import type { ComboContract } from "../../protocol/index.js";
import type { ComboLineLeg } from "../combo-quote.js";
import { comboLineLegs } from "../combo-quote.js";
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

/** IB's minimum tick of combo prices (legs may tick finer or coarser; TWS quotes combos in cents). */
const COMBO_MIN_TICK = 0.01;

/** What a reqMktData line quotes: one contract, or a BAG whose quote comes from its legs. */
interface LineTarget {
  readonly ok: true;
  readonly conId: number;
  readonly isOption: boolean;
  readonly comboLegs?: readonly ComboLineLeg[];
  readonly minTick: number;
  /** The conIds whose quote changes mark the line for an update. */
  readonly watch: readonly number[];
}

function lineTarget(
  ctx: HandlerContext,
  contract: ComboContract,
): LineTarget | { readonly ok: false; readonly code: number; readonly message: string } {
  if (contract.secType.toUpperCase() === "BAG") {
    const legs = comboLineLegs(ctx.market, contract.comboLegs);
    if (!legs.ok) return legs;
    return { ok: true, conId: 0, isOption: false, comboLegs: legs.legs, minTick: COMBO_MIN_TICK, watch: [...new Set(legs.legs.map((l) => l.conId))] };
  }
  const resolved = resolveOne(ctx.market, contract);
  if (!resolved.ok) return { ok: false, code: 200, message: resolved.message };
  const { conId, secType, minTick } = resolved.contract;
  return { ok: true, conId, isOption: secType === "OPT", minTick, watch: [conId] };
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
    const target = lineTarget(ctx, request.contract);
    if (!target.ok) {
      session.error(tickerId, target.code, target.message);
      return;
    }
    const lineKey = `${session.clientId ?? 0}:${tickerId}`;
    if (!ctx.lines.acquire(lineKey)) {
      ctx.stats.linesRejected++;
      session.error(tickerId, 101, "Max number of tickers has been reached.");
      return;
    }
    const line: MarketDataLine = {
      tickerId,
      conId: target.conId,
      isOption: target.isOption,
      ...(target.comboLegs === undefined ? {} : { comboLegs: target.comboLegs }),
      genericTicks: new Set(request.genericTicks),
      lineKey,
      sent: new Map(),
      dirty: false,
      lastSentWallMs: ctx.wallNow(),
      unsubscribe: () => undefined,
    };
    session.send(tickReqParamsFields({ tickerId, minTick: target.minTick, bboExchange: "9c0001", snapshotPermissions: 3 }));
    session.send(marketDataTypeFields(tickerId, session.state.marketDataType));
    const ticks = dataFlows(ctx) ? lineTicks(line, ctx.market, session.state.marketDataType, true) : [];
    for (const fields of ticks) session.send(fields);
    if (request.snapshot || request.regulatorySnapshot) {
      ctx.lines.release(lineKey);
      session.send(tickSnapshotEndFields(tickerId));
      return;
    }
    // A combo line follows every leg: a change in any of them re-prices it.
    const unsubscribes = target.watch.map((conId) =>
      ctx.market.subscribe(conId, () => {
        line.dirty = true;
      }),
    );
    line.unsubscribe = () => {
      for (const off of unsubscribes) off();
    };
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
