/** Positions, account updates, account summary, account updates multi and P&L. */
import type { AccountValue, PortfolioEntry, PositionReport } from "../../broker/index.js";
import {
  accountDownloadEndFields,
  accountSummaryEndFields,
  accountSummaryFields,
  accountUpdateMultiEndFields,
  accountUpdateMultiFields,
  formatTwsClock,
  pnlFields,
  pnlSingleFields,
  positionEndFields,
  positionFields,
  positionMultiEndFields,
  positionMultiFields,
  updateAccountTimeFields,
  updateAccountValueFields,
  updatePortfolioFields,
} from "../../protocol/index.js";
import type { HandlerContext } from "../context.js";
import type { Session } from "../session.js";
import { viewInput, WIRE_TIME_ZONE } from "../wire.js";
import type { HandlerTable } from "./types.js";

/** TWS re-sends the subscribed account's values and portfolio every 3 minutes between changes. */
export const ACCOUNT_UPDATE_INTERVAL_MS = 180_000;

/** Keys `$LEDGER` tags of reqAccountSummary stand for. */
const LEDGER_KEYS: ReadonlySet<string> = new Set(["CashBalance", "TotalCashBalance", "NetLiquidationByCurrency", "StockMarketValue", "OptionMarketValue", "RealizedPnL", "UnrealizedPnL", "ExchangeRate", "AccruedCash", "SettledCash"]);

/** The position message of a broker position. */
export function positionMessage(position: PositionReport): string[] {
  return positionFields({ account: position.account, contract: viewInput(position.contract), position: position.position, avgCost: position.avgCost });
}

/** The updatePortfolio message of a broker portfolio entry. */
export function portfolioMessage(entry: PortfolioEntry): string[] {
  return updatePortfolioFields({
    contract: viewInput(entry.contract),
    position: entry.position,
    marketPrice: entry.marketPrice,
    marketValue: entry.marketValue,
    averageCost: entry.averageCost,
    unrealizedPnl: entry.unrealizedPNL,
    realizedPnl: entry.realizedPNL,
    account: entry.account,
  });
}

/** updateAccountValue messages of account value rows. */
export function accountValueMessages(values: readonly AccountValue[]): string[][] {
  return values.map((v) => updateAccountValueFields({ key: v.key, value: v.value, currency: v.currency, account: v.account }));
}

/** accountUpdateMulti messages of account value rows for one subscription. */
export function accountMultiMessages(reqId: number, values: readonly AccountValue[]): string[][] {
  return values.map((v) => accountUpdateMultiFields({ reqId, account: v.account, modelCode: "", key: v.key, value: v.value, currency: v.currency }));
}

function summaryRows(ctx: HandlerContext, tags: readonly string[]): AccountValue[] {
  const wanted = new Set(tags);
  const ledger = tags.some((t) => t.startsWith("$LEDGER"));
  return ctx.broker.accountValues().filter((v) => wanted.has(v.key) || (ledger && LEDGER_KEYS.has(v.key)));
}

/** The P&L messages of a session whose content changed since last sent (or all when `force`). */
export function pnlUpdates(ctx: HandlerContext, session: Session, force: boolean): string[][] {
  const out: string[][] = [];
  if (session.state.pnl.size > 0) {
    const pnl = ctx.broker.pnl();
    const key = JSON.stringify(pnl);
    for (const [reqId, last] of session.state.pnl) {
      if (!force && last === key) continue;
      session.state.pnl.set(reqId, key);
      out.push(pnlFields({ reqId, dailyPnl: pnl.dailyPnL, unrealizedPnl: pnl.unrealizedPnL, realizedPnl: pnl.realizedPnL }));
    }
  }
  for (const [reqId, sub] of session.state.pnlSingle) {
    const single = ctx.broker.pnlSingle(sub.conId);
    const key = JSON.stringify(single ?? null);
    if (!force && sub.last === key) continue;
    sub.last = key;
    out.push(
      single === undefined
        ? pnlSingleFields({ reqId })
        : pnlSingleFields({
            reqId,
            position: single.pos,
            dailyPnl: single.dailyPnL,
            unrealizedPnl: single.unrealizedPnL,
            realizedPnl: single.realizedPnL,
            value: single.value,
          }),
    );
  }
  return out;
}

/** The whole account as reqAccountUpdates sends it: values, portfolio, then the account time. */
function accountSnapshot(ctx: HandlerContext): string[][] {
  return [
    ...accountValueMessages(ctx.broker.accountValues()),
    ...ctx.broker.portfolio().map(portfolioMessage),
    updateAccountTimeFields(formatTwsClock(ctx.market.now(), WIRE_TIME_ZONE)),
  ];
}

/**
 * The periodic account snapshot of a subscribed session when it is due at simulated time
 * `nowMs` (empty otherwise). A clock jump over several periods sends one snapshot, and the
 * next falls on the subscription's 3-minute grid again.
 */
export function periodicAccountUpdates(ctx: HandlerContext, session: Session, nowMs: number): string[][] {
  const state = session.state;
  if (!state.accountUpdates || nowMs < state.accountUpdatesDueMs) return [];
  const periods = Math.floor((nowMs - state.accountUpdatesDueMs) / ACCOUNT_UPDATE_INTERVAL_MS) + 1;
  state.accountUpdatesDueMs += periods * ACCOUNT_UPDATE_INTERVAL_MS;
  return accountSnapshot(ctx);
}

export const accountHandlers: HandlerTable = {
  reqPositions: (ctx, session) => {
    session.state.positions = true;
    for (const position of ctx.broker.positions()) session.send(positionMessage(position));
    session.send(positionEndFields());
  },

  cancelPositions: (_ctx, session) => {
    session.state.positions = false;
  },

  reqPositionsMulti: (ctx, session, request) => {
    for (const p of ctx.broker.positions()) {
      session.send(
        positionMultiFields({ reqId: request.reqId, account: p.account, contract: viewInput(p.contract), position: p.position, avgCost: p.avgCost, modelCode: "" }),
      );
    }
    session.send(positionMultiEndFields(request.reqId));
  },

  cancelPositionsMulti: () => undefined,

  reqAccountUpdates: (ctx, session, request) => {
    session.state.accountUpdates = request.subscribe;
    if (!request.subscribe) return;
    session.state.accountUpdatesDueMs = ctx.market.now() + ACCOUNT_UPDATE_INTERVAL_MS;
    for (const fields of accountSnapshot(ctx)) session.send(fields);
    session.send(accountDownloadEndFields(ctx.settings.account));
  },

  reqAccountSummary: (ctx, session, request) => {
    session.state.accountSummaries.set(request.reqId, request.tags);
    for (const v of summaryRows(ctx, request.tags)) {
      session.send(accountSummaryFields({ reqId: request.reqId, account: v.account, tag: v.key, value: v.value, currency: v.currency }));
    }
    session.send(accountSummaryEndFields(request.reqId));
  },

  cancelAccountSummary: (_ctx, session, request) => {
    session.state.accountSummaries.delete(request.reqId);
  },

  reqAccountUpdatesMulti: (ctx, session, request) => {
    session.state.accountMulti.add(request.reqId);
    for (const fields of accountMultiMessages(request.reqId, ctx.broker.accountValues())) session.send(fields);
    session.send(accountUpdateMultiEndFields(request.reqId));
  },

  cancelAccountUpdatesMulti: (_ctx, session, request) => {
    session.state.accountMulti.delete(request.reqId);
  },

  reqPnL: (ctx, session, request) => {
    session.state.pnl.set(request.reqId, "");
    for (const fields of pnlUpdates(ctx, session, false)) session.send(fields);
  },

  cancelPnL: (_ctx, session, request) => {
    session.state.pnl.delete(request.reqId);
  },

  reqPnLSingle: (ctx, session, request) => {
    session.state.pnlSingle.set(request.reqId, { conId: request.conId, last: "" });
    for (const fields of pnlUpdates(ctx, session, false)) session.send(fields);
  },

  cancelPnLSingle: (_ctx, session, request) => {
    session.state.pnlSingle.delete(request.reqId);
  },
};
