// Every request flow, driven through the real @stoqey/ib client over a real socket.
import { EventName, Instrument, LocationCode, OptionType, OrderAction, OrderType, ScanCode, SecType } from "@stoqey/ib";
import type { Contract, ContractDetails, Order, OrderState } from "@stoqey/ib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "./simulator.js";
import { RawClient, startTestSimulator, TestClient } from "./testing/sim-fixture.js";

const SPY: Contract = { symbol: "SPY", secType: SecType.STK, exchange: "SMART", currency: "USD" };
const ACCOUNT = "DU1234567";

/** Quote of a contract seen through a snapshot: bid, ask and their sizes. */
async function snapshot(client: TestClient, tickerId: number, contract: Contract): Promise<{ bid: number; ask: number }> {
  const end = client.next(EventName.tickSnapshotEnd, (a) => a[0] === tickerId);
  client.ib.reqMktData(tickerId, contract, "", true, false);
  await end;
  const price = (type: number): number => {
    const tick = client.all(EventName.tickPrice, (a) => a[0] === tickerId && a[1] === type).at(-1);
    if (tick === undefined) throw new Error(`no tick ${type} for ${tickerId}`);
    return tick.args[2] as number;
  };
  return { bid: price(1), ask: price(2) };
}

function decodingErrors(client: TestClient): unknown[] {
  return client.all(EventName.error, (a) => a[1] === 505).map((e) => (e.args[0] as Error).message);
}

describe("tws-sim through @stoqey/ib", () => {
  let sim: RunningSimulator;
  let client: TestClient;
  let other: TestClient;

  beforeAll(async () => {
    sim = await startTestSimulator();
    client = await TestClient.connect(sim.address.port, 1);
    other = await TestClient.connect(sim.address.port, 2);
  });

  afterAll(async () => {
    client.disconnect();
    other.disconnect();
    await sim.close();
  });

  it("answers the handshake with managed accounts, the next id and the farm notices", async () => {
    expect((await client.seenOrNext(EventName.managedAccounts)).args[0]).toBe(ACCOUNT);
    const nextId = (await client.seenOrNext(EventName.nextValidId)).args[0] as number;
    expect(Number.isInteger(nextId) && nextId > 0).toBe(true);
    for (const code of [2104, 2106, 2158]) await client.seenOrNext(EventName.info, (a) => a[1] === code);
    expect(client.ib.serverVersion).toBe(176);
  });

  it("refuses a duplicate client id with 326 and closes the socket", async () => {
    const raw = await RawClient.connect(sim.address.port, "v100..193");
    await raw.frame((f) => f.length === 2 && f[0] === "176");
    raw.send("71", "2", "1", "");
    const error = await raw.frame((f) => f[0] === "4");
    expect(error.slice(2, 4)).toEqual(["-1", "326"]);
    await raw.whenClosed();
    // The first client with that id is unaffected.
    const time = client.next(EventName.currentTime);
    client.ib.reqCurrentTime();
    expect((await time).args[0]).toBe(Math.floor(sim.server.now() / 1000));
  });

  it("answers contract details for a stock and for options, and sec-def option parameters", async () => {
    const end = client.next(EventName.contractDetailsEnd, (a) => a[0] === 11);
    client.ib.reqContractDetails(11, SPY);
    await end;
    const details = client.all(EventName.contractDetails, (a) => a[0] === 11).map((e) => e.args[1] as ContractDetails);
    expect(details).toHaveLength(1);
    expect(details[0]?.contract.conId).toBe(756733);
    expect(details[0]?.longName).toContain("S&P 500");

    const params = client.next(EventName.securityDefinitionOptionParameterEnd, (a) => a[0] === 12);
    client.ib.reqSecDefOptParams(12, "SPY", "", SecType.STK, 756733);
    await params;
    const chains = client.all(EventName.securityDefinitionOptionParameter, (a) => a[0] === 12);
    expect(chains.length).toBeGreaterThan(0);
    const expirations = chains[0]?.args[5] as string[];
    const strikes = chains[0]?.args[6] as number[];
    expect(expirations.every((e) => /^\d{8}$/.test(e))).toBe(true);
    expect(strikes.length).toBeGreaterThan(10);

    // An option by symbol, expiry, strike and right resolves to exactly one contract.
    const expiry = expirations[2] ?? "";
    const optEnd = client.next(EventName.contractDetailsEnd, (a) => a[0] === 13);
    client.ib.reqContractDetails(13, { symbol: "SPY", secType: SecType.OPT, lastTradeDateOrContractMonth: expiry, right: OptionType.Put, exchange: "SMART", currency: "USD" });
    await optEnd;
    const puts = client.all(EventName.contractDetails, (a) => a[0] === 13).map((e) => (e.args[1] as ContractDetails).contract);
    expect(puts.length).toBeGreaterThan(5);
    expect(puts.every((c) => c.right === OptionType.Put && c.lastTradeDateOrContractMonth === expiry && c.multiplier === 100)).toBe(true);
    const one = puts[Math.floor(puts.length / 2)];
    const byConId = client.next(EventName.contractDetailsEnd, (a) => a[0] === 14);
    client.ib.reqContractDetails(14, { conId: one?.conId ?? 0, exchange: "SMART" });
    await byConId;
    const again = client.all(EventName.contractDetails, (a) => a[0] === 14).map((e) => (e.args[1] as ContractDetails).contract);
    expect(again.map((c) => c.strike)).toEqual([one?.strike]);

    const unknown = client.next(EventName.error, (a) => a[2] === 15);
    client.ib.reqContractDetails(15, { symbol: "NOPE", secType: SecType.STK, exchange: "SMART", currency: "USD" });
    expect((await unknown).args[1]).toBe(200);
  });

  it("streams stock market data with generic ticks, updates as time passes, and cancels", async () => {
    client.ib.reqMktData(21, SPY, "104,106", false, false);
    await client.seenOrNext(EventName.tickPrice, (a) => a[0] === 21 && a[1] === 1);
    await client.seenOrNext(EventName.tickSize, (a) => a[0] === 21 && a[1] === 0);
    const iv = await client.seenOrNext(EventName.tickGeneric, (a) => a[0] === 21 && a[1] === 24);
    expect(iv.args[2]).toBeGreaterThan(0.05);
    const bid = client.all(EventName.tickPrice, (a) => a[0] === 21 && a[1] === 1).at(-1)?.args[2] as number;
    const ask = client.all(EventName.tickPrice, (a) => a[0] === 21 && a[1] === 2).at(-1)?.args[2] as number;
    expect(ask).toBeGreaterThan(bid);
    // Stock sizes come in round lots: the market's share size divided by 100.
    const quote = sim.server.world.market.quote(756733);
    const bidSize = client.all(EventName.tickSize, (a) => a[0] === 21 && a[1] === 0).at(-1)?.args[2] as number;
    expect(quote?.kind === "stock" ? Math.round(quote.bidSize / 100) : NaN).toBe(bidSize);

    const before = client.all(EventName.tickPrice, (a) => a[0] === 21).length;
    const update = client.next(EventName.tickPrice, (a) => a[0] === 21);
    sim.server.advanceClockTo(sim.server.now() + 60_000);
    await update;
    expect(client.all(EventName.tickPrice, (a) => a[0] === 21).length).toBeGreaterThan(before);

    client.ib.cancelMktData(21);
    const unknownCancel = client.next(EventName.error, (a) => a[2] === 99);
    client.ib.cancelMktData(99);
    expect((await unknownCancel).args[1]).toBe(300);
    const count = client.all(EventName.tickPrice, (a) => a[0] === 21).length;
    sim.server.advanceClockTo(sim.server.now() + 60_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(client.all(EventName.tickPrice, (a) => a[0] === 21).length).toBe(count);
  });

  it("streams an option with model greeks (tick 13) and option volume / open interest ticks; snapshots end", async () => {
    const put = sim.server.world.market.findContracts({ symbol: "SPY", secType: "OPT", right: "P" }).find((c) => c.secType === "OPT" && c.strike < 600 && c.strike > 560);
    expect(put).toBeDefined();
    const contract: Contract = { conId: put?.conId ?? 0, exchange: "SMART" };
    client.ib.reqMktData(31, contract, "100,101,106", false, false);
    const greeks = await client.seenOrNext(EventName.tickOptionComputation, (a) => a[0] === 31 && a[1] === 13);
    const [, , , impliedVol, delta, optPrice, , gamma, , , undPrice] = greeks.args as number[];
    expect(delta).toBeLessThan(0);
    expect(delta).toBeGreaterThan(-1);
    expect(impliedVol).toBeGreaterThan(0);
    expect(gamma).toBeGreaterThan(0);
    expect(undPrice).toBeGreaterThan(400);
    const bid = (await client.seenOrNext(EventName.tickPrice, (a) => a[0] === 31 && a[1] === 1)).args[2] as number;
    const ask = (await client.seenOrNext(EventName.tickPrice, (a) => a[0] === 31 && a[1] === 2)).args[2] as number;
    expect(optPrice).toBeGreaterThanOrEqual(bid);
    expect(optPrice).toBeLessThanOrEqual(ask);
    await client.seenOrNext(EventName.tickSize, (a) => a[0] === 31 && a[1] === 28); // put open interest
    await client.seenOrNext(EventName.tickSize, (a) => a[0] === 31 && a[1] === 30); // put volume
    client.ib.cancelMktData(31);

    const quote = await snapshot(client, 32, contract);
    expect(quote.ask).toBeGreaterThan(quote.bid);
  });

  it("serves daily and intraday bars (TRADES, MIDPOINT, OPTION_IMPLIED_VOLATILITY)", async () => {
    const bars = async (reqId: number, duration: string, size: string, what: string): Promise<unknown[][]> => {
      const done = client.next(EventName.historicalData, (a) => a[0] === reqId && String(a[1]).startsWith("finished"));
      client.ib.reqHistoricalData(reqId, SPY, "", duration, size as never, what as never, 1, 1, false);
      await done;
      return client.all(EventName.historicalData, (a) => a[0] === reqId && !String(a[1]).startsWith("finished")).map((e) => [...e.args]);
    };
    const daily = await bars(41, "1 M", "1 day", "TRADES");
    expect(daily.length).toBeGreaterThan(15);
    expect(daily.every((b) => /^\d{8}$/.test(String(b[1])))).toBe(true);
    for (const b of daily) {
      const [, , open, high, low, close, volume] = b as [number, string, number, number, number, number, number];
      expect(high).toBeGreaterThanOrEqual(Math.max(open, close));
      expect(low).toBeLessThanOrEqual(Math.min(open, close));
      expect(volume).toBeGreaterThan(0);
    }
    const intraday = await bars(42, "1 D", "5 mins", "MIDPOINT");
    expect(intraday.length).toBeGreaterThan(0);
    expect(String(intraday[0]?.[1])).toMatch(/^\d{8} \d{2}:\d{2}:\d{2}/);
    const iv = await bars(43, "1 M", "1 day", "OPTION_IMPLIED_VOLATILITY");
    expect(iv.length).toBeGreaterThan(15);
    expect(iv.every((b) => (b[5] as number) > 0.02 && (b[5] as number) < 2)).toBe(true);
  });

  it("runs a scanner subscription with price, volume and market-cap filters", async () => {
    const filter = { abovePrice: 100, aboveVolume: 1, marketCapAbove: 500_000 };
    const done = client.next(EventName.scannerDataEnd, (a) => a[0] === 51);
    client.ib.reqScannerSubscription(51, { instrument: Instrument.STK, locationCode: LocationCode.STK_US_MAJOR, scanCode: ScanCode.MOST_ACTIVE, ...filter });
    await done;
    const rows = client.all(EventName.scannerData, (a) => a[0] === 51).map((e) => (e.args[2] as ContractDetails).contract);
    expect(rows.length).toBeGreaterThan(0);
    const market = sim.server.world.market;
    for (const row of rows) {
      const stock = market.stock(row.symbol ?? "");
      const quote = market.quote(stock?.conId ?? 0);
      expect(quote?.kind === "stock" ? quote.last : 0).toBeGreaterThan(filter.abovePrice);
      expect(stock?.marketCap).toBeGreaterThan(filter.marketCapAbove * 1e6);
    }
    // A name that fails the filters is left out: a low-priced stock in the universe.
    expect(rows.map((r) => r.symbol)).not.toContain("F");
    client.ib.cancelScannerSubscription(51);
  });

  describe("a bull put credit spread as a BAG combo", () => {
    let short: Contract;
    let long: Contract;
    let width = 0;
    let credit = 0;
    let markCredit = 0;
    let nextId = 0;
    const bag = (): Contract => ({
      symbol: "SPY",
      secType: SecType.BAG,
      currency: "USD",
      exchange: "SMART",
      comboLegs: [
        { conId: long.conId ?? 0, ratio: 1, action: OrderAction.BUY, exchange: "SMART" },
        { conId: short.conId ?? 0, ratio: 1, action: OrderAction.SELL, exchange: "SMART" },
      ],
    });
    const limit = (price: number, whatIf = false): Order => ({
      action: OrderAction.BUY,
      orderType: OrderType.LMT,
      totalQuantity: 1,
      lmtPrice: price,
      tif: "DAY",
      transmit: true,
      whatIf,
    });
    const round05 = (x: number): number => Math.round(x * 20) / 20;
    /** Places (or modifies) and resolves once the server has the order, so time can move after it. */
    const place = async (id: number, order: Order): Promise<void> => {
      const ack = client.next(EventName.openOrder, (a) => a[0] === id && (a[2] as Order).lmtPrice === order.lmtPrice);
      client.ib.placeOrder(id, bag(), order);
      await ack;
    };

    beforeAll(async () => {
      nextId = (client.all(EventName.nextValidId).at(-1)?.args[0] as number) + 100;
      const spot = await snapshot(client, 61, SPY);
      const mid = (spot.bid + spot.ask) / 2;
      const market = sim.server.world.market;
      const chain = market.optionChain("SPY");
      const expiry = chain?.expirations.find((e) => e.lastTradeTime - sim.server.now() > 20 * 86_400_000);
      const strikes = (expiry?.strikes ?? []).filter((k) => k < mid * 0.98);
      const k2 = strikes.at(-1) ?? 0;
      const k1 = [...strikes].reverse().find((k) => k <= k2 - 5) ?? 0;
      width = k2 - k1;
      const find = (k: number): Contract => {
        const c = market.findContracts({ symbol: "SPY", expiry: expiry?.expiry ?? "", strike: k, right: "P" })[0];
        return { conId: c?.conId ?? 0, exchange: "SMART" };
      };
      short = find(k2);
      long = find(k1);
      const shortQuote = await snapshot(client, 62, short);
      const longQuote = await snapshot(client, 63, long);
      credit = shortQuote.bid - longQuote.ask;
      markCredit = (shortQuote.bid + shortQuote.ask) / 2 - (longQuote.bid + longQuote.ask) / 2;
      expect(width).toBeGreaterThanOrEqual(5);
      expect(credit).toBeGreaterThan(0);
    });

    it("what-if reports margin = max loss and creates no order", async () => {
      const restingCredit = round05(credit + 0.5);
      const id = nextId++;
      const reply = client.next(EventName.openOrder, (a) => a[0] === id);
      client.ib.placeOrder(id, bag(), limit(-restingCredit, true));
      const state = (await reply).args[3] as OrderState;
      // Max loss of a credit spread: (width − credit) × 100, the credit at the current marks (mids).
      expect(Number(state.initMarginChange)).toBeCloseTo(width * 100 - markCredit * 100, 1);
      expect(Number(state.commission)).toBeCloseTo(2, 2); // $1 minimum per leg
      const end = client.next(EventName.openOrderEnd);
      client.ib.reqOpenOrders();
      await end;
      expect(client.all(EventName.orderStatus, (a) => a[0] === id)).toHaveLength(0);
      expect(sim.server.world.broker.allOpenOrders()).toHaveLength(0);
    });

    it("rests an unmarketable order, fills it after re-pricing, and reports positions, executions and PnL", async () => {
      const id = nextId++;
      const submitted = client.next(EventName.orderStatus, (a) => a[0] === id && a[1] === "Submitted");
      await place(id, limit(-round05(credit + 0.5)));
      sim.server.advanceClockTo(sim.server.now() + 100);
      await submitted;
      sim.server.advanceClockTo(sim.server.now() + 200);
      expect(sim.server.world.broker.order(1, id)?.status).toBe("Submitted");
      // Client 2 does not see client 1's orders.
      expect(other.all(EventName.orderStatus, (a) => a[0] === id)).toHaveLength(0);

      const filled = client.next(EventName.orderStatus, (a) => a[0] === id && a[1] === "Filled");
      await place(id, limit(-round05(credit - 0.5)));
      sim.server.advanceClockTo(sim.server.now() + 100);
      const status = await filled;
      const avgFill = status.args[4] as number;
      expect(avgFill).toBeLessThan(0); // a credit
      expect(avgFill).toBeGreaterThanOrEqual(-credit - 0.5);

      const positionsEnd = client.next(EventName.positionEnd);
      client.ib.reqPositions();
      await positionsEnd;
      const positions = new Map(client.all(EventName.position).map((e) => [(e.args[1] as Contract).conId, e.args[2] as number]));
      expect(positions.get(long.conId)).toBe(1);
      expect(positions.get(short.conId)).toBe(-1);

      const execEnd = client.next(EventName.execDetailsEnd, (a) => a[0] === 71);
      client.ib.reqExecutions(71, {});
      await execEnd;
      const execs = client.all(EventName.execDetails, (a) => a[0] === 71);
      expect(execs.map((e) => (e.args[1] as Contract).secType).sort()).toEqual(["BAG", "OPT", "OPT"]);
      const legExecIds = execs.filter((e) => (e.args[1] as Contract).secType === SecType.OPT).map((e) => (e.args[2] as { execId: string }).execId);
      const reports = client.all(EventName.commissionReport).map((e) => e.args[0] as { execId: string; commission: number });
      for (const execId of legExecIds) expect(reports.find((r) => r.execId === execId)?.commission).toBeGreaterThan(0);

      const pnl = client.next(EventName.pnl, (a) => a[0] === 72);
      client.ib.reqPnL(72, ACCOUNT, "");
      const [, daily, unrealized] = (await pnl).args as number[];
      expect(Number.isFinite(daily)).toBe(true);
      expect(Number.isFinite(unrealized)).toBe(true);
      const single = client.next(EventName.pnlSingle, (a) => a[0] === 73);
      client.ib.reqPnLSingle(73, ACCOUNT, "", short.conId ?? 0);
      expect((await single).args[1]).toBe(-1);
      client.ib.cancelPnL(72);
      client.ib.cancelPnLSingle(73);
    });

    it("cancels a resting order; open, all open and completed orders show what each client may see", async () => {
      const id = nextId++;
      const submitted = client.next(EventName.orderStatus, (a) => a[0] === id && a[1] === "Submitted");
      await place(id, limit(-round05(credit + 1)));
      sim.server.advanceClockTo(sim.server.now() + 100);
      await submitted;

      const openEnd = client.next(EventName.openOrderEnd);
      client.ib.reqOpenOrders();
      await openEnd;
      expect(client.all(EventName.openOrder, (a) => a[0] === id).length).toBeGreaterThan(0);
      other.clear();
      const otherEnd = other.next(EventName.openOrderEnd);
      other.ib.reqOpenOrders();
      await otherEnd;
      expect(other.all(EventName.openOrder)).toHaveLength(0);
      const allEnd = other.next(EventName.openOrderEnd);
      other.ib.reqAllOpenOrders();
      await allEnd;
      expect(other.all(EventName.openOrder, (a) => a[0] === id)).toHaveLength(1);

      const cancelled = client.next(EventName.orderStatus, (a) => a[0] === id && a[1] === "Cancelled");
      const confirm = client.next(EventName.error, (a) => a[2] === id && a[1] === 202);
      const pending = client.next(EventName.orderStatus, (a) => a[0] === id && a[1] === "PendingCancel");
      client.ib.cancelOrder(id);
      await pending;
      sim.server.advanceClockTo(sim.server.now() + 100);
      await cancelled;
      await confirm;

      const completedEnd = client.next(EventName.completedOrdersEnd);
      client.ib.reqCompletedOrders(false);
      await completedEnd;
      const states = client.all(EventName.completedOrder).map((e) => (e.args[2] as OrderState).status);
      expect(states).toContain("Filled");
      expect(states).toContain("Cancelled");
      expect(decodingErrors(client)).toEqual([]);
    });
  });

  it("answers account updates, account summary and account updates multi", async () => {
    const download = client.next(EventName.accountDownloadEnd);
    client.ib.reqAccountUpdates(true, ACCOUNT);
    await download;
    const values = new Map(client.all(EventName.updateAccountValue).map((e) => [e.args[0] as string, e.args[1] as string]));
    expect(Number(values.get("NetLiquidation"))).toBeGreaterThan(90_000);
    expect(client.all(EventName.updatePortfolio).length).toBeGreaterThanOrEqual(2);
    client.ib.reqAccountUpdates(false, ACCOUNT);

    const summaryEnd = client.next(EventName.accountSummaryEnd, (a) => a[0] === 81);
    client.ib.reqAccountSummary(81, "All", "NetLiquidation,BuyingPower");
    await summaryEnd;
    const tags = client.all(EventName.accountSummary, (a) => a[0] === 81).map((e) => e.args[2]);
    expect(tags.sort()).toEqual(["BuyingPower", "NetLiquidation"]);
    client.ib.cancelAccountSummary(81);

    // @stoqey/ib reports this reqId as text.
    const multiEnd = client.next(EventName.accountUpdateMultiEnd, (a) => Number(a[0]) === 82);
    client.ib.reqAccountUpdatesMulti(82, ACCOUNT, "", true);
    await multiEnd;
    expect(client.all(EventName.accountUpdateMulti, (a) => Number(a[0]) === 82 && a[3] === "NetLiquidation")).toHaveLength(1);
    client.ib.cancelAccountUpdatesMulti(82);
    expect(decodingErrors(client)).toEqual([]);
    expect(decodingErrors(other)).toEqual([]);
  });
});
