// Streams that follow simulated time: BAG combo quotes, keepUpToDate bars and periodic account
// updates, driven through @stoqey/ib on a stepped clock.
import { BarSizeSetting, EventName, OrderAction, OrderType, SecType } from "@stoqey/ib";
import type { Contract } from "@stoqey/ib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "./simulator.js";
import { startTestSimulator, TestClient } from "./testing/sim-fixture.js";

const SPY: Contract = { symbol: "SPY", secType: SecType.STK, exchange: "SMART", currency: "USD" };
const ACCOUNT = "DU1234567";
const MINUTE = 60_000;

describe("streams on the stepped clock", () => {
  let sim: RunningSimulator;
  let client: TestClient;

  beforeAll(async () => {
    sim = await startTestSimulator();
    client = await TestClient.connect(sim.address.port, 5);
  });

  afterAll(async () => {
    client.disconnect();
    await sim.close();
  });

  /** Round trip: everything the server sent before answering has arrived (one socket, in order). */
  const barrier = async (): Promise<void> => {
    const time = client.next(EventName.currentTime);
    client.ib.reqCurrentTime();
    await time;
  };
  const advance = async (ms: number): Promise<void> => {
    sim.server.advanceClockTo(sim.server.now() + ms);
    await barrier();
  };
  const lastPrice = (tickerId: number, type: number): number | undefined =>
    client.all(EventName.tickPrice, (a) => a[0] === tickerId && a[1] === type).at(-1)?.args[2] as number | undefined;
  const lastSize = (tickerId: number, type: number): number | undefined =>
    client.all(EventName.tickSize, (a) => a[0] === tickerId && a[1] === type).at(-1)?.args[2] as number | undefined;

  describe("BAG market data: a bull put (SELL put K_high, BUY put K_low)", () => {
    let short: Contract;
    let long: Contract;
    const bag = (legs?: Contract["comboLegs"]): Contract => ({
      symbol: "SPY",
      secType: SecType.BAG,
      currency: "USD",
      exchange: "SMART",
      comboLegs: legs ?? [
        { conId: short.conId ?? 0, ratio: 1, action: OrderAction.SELL, exchange: "SMART" },
        { conId: long.conId ?? 0, ratio: 1, action: OrderAction.BUY, exchange: "SMART" },
      ],
    });

    /** The combo quote computed here from the legs' own streamed quotes (ticker 301 short, 302 long). */
    const expectedFromLegs = (): { bid: number; ask: number; bidSize: number; askSize: number } => {
      const [shortBid, shortAsk, longBid, longAsk] = [lastPrice(301, 1), lastPrice(301, 2), lastPrice(302, 1), lastPrice(302, 2)];
      const [shortBidSize, shortAskSize, longBidSize, longAskSize] = [lastSize(301, 0), lastSize(301, 3), lastSize(302, 0), lastSize(302, 3)];
      if ([shortBid, shortAsk, longBid, longAsk, shortBidSize, shortAskSize, longBidSize, longAskSize].some((v) => v === undefined)) {
        throw new Error("a leg quote is missing");
      }
      return {
        // Selling the combo sells the BUY leg at its bid and buys back the SELL leg at its ask.
        bid: (longBid ?? 0) - (shortAsk ?? 0),
        ask: (longAsk ?? 0) - (shortBid ?? 0),
        bidSize: Math.min(longBidSize ?? 0, shortAskSize ?? 0),
        askSize: Math.min(longAskSize ?? 0, shortBidSize ?? 0),
      };
    };
    const expectComboMatchesLegs = (tickerId: number): void => {
      const expected = expectedFromLegs();
      expect(lastPrice(tickerId, 1)).toBeCloseTo(expected.bid, 6);
      expect(lastPrice(tickerId, 2)).toBeCloseTo(expected.ask, 6);
      expect(lastSize(tickerId, 0)).toBe(expected.bidSize);
      expect(lastSize(tickerId, 3)).toBe(expected.askSize);
      expect(expected.bid).toBeLessThan(0);
      expect(expected.ask).toBeLessThan(0);
      expect(expected.bid).toBeLessThan(expected.ask);
    };

    beforeAll(async () => {
      const market = sim.server.world.market;
      const spot = market.quote(756733);
      const mid = spot?.kind === "stock" ? (spot.bid + spot.ask) / 2 : 0;
      const expiry = market.optionChain("SPY")?.expirations.find((e) => e.lastTradeTime - sim.server.now() > 20 * 86_400_000);
      const strikes = (expiry?.strikes ?? []).filter((k) => k < mid * 0.99);
      const kHigh = strikes.at(-1) ?? 0;
      const kLow = [...strikes].reverse().find((k) => k <= kHigh - 5) ?? 0;
      const put = (k: number): Contract => ({ conId: market.findContracts({ symbol: "SPY", expiry: expiry?.expiry ?? "", strike: k, right: "P" })[0]?.conId ?? 0, exchange: "SMART" });
      short = put(kHigh);
      long = put(kLow);
      expect(short.conId).toBeGreaterThan(0);
      expect(long.conId).toBeGreaterThan(0);
      client.ib.reqMktData(301, short, "", false, false);
      client.ib.reqMktData(302, long, "", false, false);
      await barrier();
    });

    it("streams bid/ask priced from the legs (negative: a credit), as one line, updating when legs move", async () => {
      const linesBefore = sim.server.stats().marketDataLines.inUse;
      client.ib.reqMktData(303, bag(), "", false, false);
      await barrier();
      expect(sim.server.stats().marketDataLines.inUse).toBe(linesBefore + 1);
      expectComboMatchesLegs(303);

      const ticksBefore = client.all(EventName.tickPrice, (a) => a[0] === 303).length;
      await advance(5 * MINUTE);
      expect(client.all(EventName.tickPrice, (a) => a[0] === 303).length).toBeGreaterThan(ticksBefore);
      expectComboMatchesLegs(303);
    });

    it("answers a snapshot with the same quote and tickSnapshotEnd, holding no line afterwards", async () => {
      const lines = sim.server.stats().marketDataLines.inUse;
      const end = client.next(EventName.tickSnapshotEnd, (a) => a[0] === 304);
      client.ib.reqMktData(304, bag(), "", true, false);
      await end;
      expect(lastPrice(304, 1)).toBe(lastPrice(303, 1));
      expect(lastPrice(304, 2)).toBe(lastPrice(303, 2));
      expect(sim.server.stats().marketDataLines.inUse).toBe(lines);
    });

    it("refuses an unknown leg with 200 and stops streaming on cancel", async () => {
      const unknown = client.next(EventName.error, (a) => a[2] === 305);
      client.ib.reqMktData(305, bag([{ conId: short.conId ?? 0, ratio: 1, action: OrderAction.SELL, exchange: "SMART" }, { conId: 987_654_321, ratio: 1, action: OrderAction.BUY, exchange: "SMART" }]), "", false, false);
      expect((await unknown).args[1]).toBe(200);

      const lines = sim.server.stats().marketDataLines.inUse;
      client.ib.cancelMktData(303);
      await barrier();
      expect(sim.server.stats().marketDataLines.inUse).toBe(lines - 1);
      const count = client.all(EventName.tickPrice, (a) => a[0] === 303).length;
      const legTicks = client.all(EventName.tickPrice, (a) => a[0] === 301).length;
      await advance(5 * MINUTE);
      expect(client.all(EventName.tickPrice, (a) => a[0] === 301).length).toBeGreaterThan(legTicks);
      expect(client.all(EventName.tickPrice, (a) => a[0] === 303).length).toBe(count);
      client.ib.cancelMktData(301);
      client.ib.cancelMktData(302);
    });
  });

  describe("keepUpToDate historical bars", () => {
    type BarArgs = [number, string, number, number, number, number, number];
    /** [reqId, date, open, high, low, close, volume] of every bar of a finished request. */
    const history = async (reqId: number, duration: string, keepUpToDate: boolean): Promise<BarArgs[]> => {
      const done = client.next(EventName.historicalData, (a) => a[0] === reqId && String(a[1]).startsWith("finished"));
      client.ib.reqHistoricalData(reqId, SPY, "", duration, BarSizeSetting.MINUTES_FIVE, "TRADES", 1, 2, keepUpToDate);
      await done;
      return client.all(EventName.historicalData, (a) => a[0] === reqId && !String(a[1]).startsWith("finished")).map((e) => e.args.slice(0, 7) as BarArgs);
    };
    const updates = (reqId: number): BarArgs[] => client.all(EventName.historicalDataUpdate, (a) => a[0] === reqId).map((e) => e.args.slice(0, 7) as BarArgs);
    /** Start of the 5-minute bar containing `ms`, epoch seconds (New York is a whole-hour offset from UTC). */
    const barStart = (ms: number): string => String(Math.floor(ms / 300_000) * 300);

    it("refuses an end date with 321, as TWS does", async () => {
      const error = client.next(EventName.error, (a) => a[2] === 401);
      client.ib.reqHistoricalData(401, SPY, "20260310 09:45:00 US/Eastern", "1 D", BarSizeSetting.MINUTES_FIVE, "TRADES", 1, 1, true);
      const args = (await error).args;
      expect(args[1]).toBe(321);
      expect((args[0] as Error).message).toContain("End date not supported with live updates");
    });

    it("sends the forming bar (open, close, high, low in TWS's order) as the clock moves, then a new bar, until cancelled", async () => {
      // Start one minute into a bar so the next minute stays inside it.
      const now = sim.server.now();
      sim.server.advanceClockTo(Math.floor(now / 300_000) * 300_000 + 300_000 + MINUTE);
      const bars = await history(402, "1 D", true);
      const forming = bars.at(-1);
      expect(forming?.[1]).toBe(barStart(sim.server.now()));
      await barrier();
      expect(updates(402)).toHaveLength(0); // nothing moved yet

      await advance(MINUTE);
      const update = updates(402).at(-1);
      expect(update?.[1]).toBe(forming?.[1]);
      expect(update?.[2]).toBe(forming?.[2]); // same bar, same open
      // The same bar asked for afresh (a different duration, so no pacing violation) matches field by field.
      const fresh = (await history(403, "1800 S", false)).at(-1);
      expect(update?.slice(1)).toEqual(fresh?.slice(1));
      const [, , open, high, low, close] = update ?? [];
      expect(high).toBeGreaterThanOrEqual(Math.max(open ?? 0, close ?? 0));
      expect(low).toBeLessThanOrEqual(Math.min(open ?? 0, close ?? 0));

      await advance(5 * MINUTE);
      expect(updates(402).at(-1)?.[1]).toBe(barStart(sim.server.now()));

      client.ib.cancelHistoricalData(402);
      await barrier();
      const count = updates(402).length;
      await advance(5 * MINUTE);
      expect(updates(402)).toHaveLength(count);
    });
  });

  describe("account updates", () => {
    it("re-sends values, portfolio and account time every 3 simulated minutes while subscribed", async () => {
      const orderId = (client.all(EventName.nextValidId).at(-1)?.args[0] as number) + 10;
      const filled = client.next(EventName.orderStatus, (a) => a[0] === orderId && a[1] === "Filled");
      client.ib.placeOrder(orderId, SPY, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 10, tif: "DAY", transmit: true });
      await barrier();
      await advance(1000);
      await filled;

      const download = client.next(EventName.accountDownloadEnd);
      client.ib.reqAccountUpdates(true, ACCOUNT);
      await download;
      const subscribedAt = sim.server.now();
      const netLiq = (): number => client.all(EventName.updateAccountValue, (a) => a[0] === "NetLiquidation").length;
      const portfolio = (): number => client.all(EventName.updatePortfolio).length;
      const [values0, portfolio0] = [netLiq(), portfolio()];

      sim.server.advanceClockTo(subscribedAt + 3 * MINUTE - 1000);
      await barrier();
      expect(netLiq()).toBe(values0);

      const times = client.all(EventName.updateAccountTime).length;
      sim.server.advanceClockTo(subscribedAt + 3 * MINUTE);
      await barrier();
      expect(netLiq()).toBe(values0 + 1);
      expect(portfolio()).toBe(portfolio0 + 1);
      expect(client.all(EventName.updateAccountTime)).toHaveLength(times + 1);
      const nyClock = new Intl.DateTimeFormat("en-GB", { timeZone: "America/New_York", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(sim.server.now());
      expect(client.all(EventName.updateAccountTime).at(-1)?.args[0]).toBe(nyClock);
      // The position is valued at the market now: the mid of SPY's quote seen through a snapshot.
      const end = client.next(EventName.tickSnapshotEnd, (a) => a[0] === 501);
      client.ib.reqMktData(501, SPY, "", true, false);
      await end;
      const entry = client.all(EventName.updatePortfolio).at(-1)?.args ?? [];
      expect(entry[1]).toBe(10);
      expect(entry[2]).toBeCloseTo(((lastPrice(501, 1) ?? 0) + (lastPrice(501, 2) ?? 0)) / 2, 6);

      // A jump over several periods sends one snapshot; the next is back on the 3-minute grid.
      sim.server.advanceClockTo(subscribedAt + 7 * MINUTE);
      await barrier();
      expect(netLiq()).toBe(values0 + 2);
      sim.server.advanceClockTo(subscribedAt + 9 * MINUTE - 1000);
      await barrier();
      expect(netLiq()).toBe(values0 + 2);
      sim.server.advanceClockTo(subscribedAt + 9 * MINUTE);
      await barrier();
      expect(netLiq()).toBe(values0 + 3);

      client.ib.reqAccountUpdates(false, ACCOUNT);
      await barrier(); // the server has the unsubscribe before time moves
      await advance(6 * MINUTE);
      expect(netLiq()).toBe(values0 + 3);
    });
  });
});
