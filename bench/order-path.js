// Benchmark of the order path (docs/performance.md, docs/execution.md):
// - execution_place_spread: PlaceSpread → the simulator's acknowledgment, through the execution
//   service and the gateway, over loopback sockets, 200 orders one after another (each a new
//   trade id, so each runs the whole path: mode check, broker lookup, legs, what-if, account
//   summary, risk gate, PlaceOrder with the gateway's own lookup and the ack wait).
// - The same orders sent straight to the gateway's PlaceOrder (lookup + send + ack) are the
//   baseline; SpreadOps' added latency is the execution service's share on top of it.
import console from "node:console";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { create } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { ExecutionService, GatewayService, OrderAction, OrderRequestSchema, OrderType, SpreadKind, TimeInForce, TradingMode } from "../packages/api/dist/index.js";
import { buildGateway, gatewayAreas, gatewayOptions } from "../services/gateway/dist/index.js";
import { executionDefinition } from "../services/execution/dist/index.js";
import { buildServer, createLogger, createMetrics, defaultServerInterceptors, Lifecycle, parseConfig, Readiness, serviceMain } from "../packages/runtime/dist/index.js";
import { startSimulator } from "../packages/tws-sim/dist/index.js";

// BENCH_ORDERS overrides the count for a quick look; the documented numbers use 200.
const ORDERS = Number(process.env.BENCH_ORDERS ?? 200);
const WARMUP = 20;
const BAR_ADDED_P99_MS = 25;
const quiet = () => createLogger({ service: "bench", level: "silent", destination: { write: () => true } });

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const ms = (x) => Math.round(x * 100) / 100;

function pickBullPut(sim) {
  const market = sim.server.world.market;
  const spot = market.quote(market.stock("SPY")?.conId ?? 0);
  const s = (spot.bid + spot.ask) / 2;
  const expiry = market.optionChain("SPY").expirations.find((e) => e.lastTradeTime - sim.server.now() > 25 * 86_400_000);
  const strikes = expiry.strikes.filter((k) => k < s * 0.98);
  const shortStrike = strikes.at(-1);
  const longStrike = [...strikes].reverse().find((k) => k <= shortStrike - 5);
  const conId = (k) => market.findContracts({ symbol: "SPY", expiry: expiry.expiry, strike: k, right: "P" })[0].conId;
  return { expiry: Number(expiry.expiry.replaceAll("-", "")), shortStrike, longStrike, shortConId: conId(shortStrike), longConId: conId(longStrike) };
}

/** Runs the benchmark; resolves to one result (JSON line). */
export async function run() {
  const sim = await startSimulator(
    { seed: 7, clock: "real", port: 0, host: "127.0.0.1", minTickIntervalMs: 0, loopIntervalMs: 5, maxMessagesPerSecond: 100_000, startingCash: 100_000_000 },
    quiet(),
  );
  const parsed = parseConfig(gatewayOptions(), { argv: ["--leader-election", "off", "--tws-port", String(sim.address.port), "--tws-client-id", "9", "--tws-restart-window", "off"], env: {} });
  // The simulator takes far more than IB's 50 msg/s; the budget is raised so pacing is not what is measured.
  const config = { ...parsed, twsMessageBudget: 5000, twsMessageCap: 6000 };
  const logger = quiet();
  const metrics = createMetrics({ service: "bench-gw", defaultMetrics: false });
  const lifecycle = new Lifecycle({ logger });
  const gateway = buildGateway({ config, logger, metrics, readiness: new Readiness(), lifecycle, areas: gatewayAreas, kubeConfig: null });
  const restored = new Promise((resolve) => gateway.connection.onEvent("restored", resolve));
  gateway.start();
  const gatewayServer = buildServer({ routes: gateway.routes, interceptors: defaultServerInterceptors({ logger, metrics }), logger, metrics, readiness: new Readiness() });
  const gatewayUrl = (await gatewayServer.listen(0, "127.0.0.1")).url;
  await restored;
  const execution = await serviceMain(executionDefinition("bench"), {
    argv: ["--port", "0", "--host", "127.0.0.1", "--log-level", "silent", "--log-format", "json", "--gateway-url", gatewayUrl, "--max-risk-per-trade", "100000"],
    env: {}, stdout: () => undefined, stderr: () => undefined, exit: () => undefined,
  });
  const sessions = [new Http2SessionManager(execution.address.url), new Http2SessionManager(gatewayUrl)];
  const exec = createClient(ExecutionService, createConnectTransport({ baseUrl: execution.address.url, httpVersion: "2", sessionManager: sessions[0] }));
  const gw = createClient(GatewayService, createConnectTransport({ baseUrl: gatewayUrl, httpVersion: "2", sessionManager: sessions[1] }));
  const p = pickBullPut(sim);
  // A credit of 0.05 on a 5-wide spread: far from marketable, so every order rests (acknowledged, unfilled).
  const limit = 0.05;
  const trade = (i) => ({
    tradeId: `bench-${process.pid}-${i}`, strategyRef: "bench/spy", underlying: "SPY", kind: SpreadKind.BULL_PUT, expiry: p.expiry,
    shortStrike: p.shortStrike, longStrike: p.longStrike, quantity: 1, limitPrice: limit, mode: TradingMode.PAPER,
  });
  const direct = (i) => create(OrderRequestSchema, {
    orderRef: `bench-gw-${process.pid}-${i}`, action: OrderAction.BUY, quantity: 1, orderType: OrderType.LIMIT, limitPrice: -limit, timeInForce: TimeInForce.DAY,
    contract: { instrument: { case: "combo", value: { symbol: "SPY", legs: [{ conId: p.longConId, ratio: 1, action: OrderAction.BUY }, { conId: p.shortConId, ratio: 1, action: OrderAction.SELL }] } } },
  });

  const placeSpread = [];
  const placeOrder = [];
  let acknowledged = 0;
  try {
    for (let i = 0; i < WARMUP + ORDERS; i++) {
      const t0 = performance.now();
      const spread = await exec.placeSpread({ trade: trade(i), automatic: true });
      const t1 = performance.now();
      const order = await gw.placeOrder({ order: direct(i) });
      const t2 = performance.now();
      // Cancelled at once (untimed): the book stays small, as it is in use, so the numbers do not
      // measure the simulator's and the gateway's cost of hundreds of resting orders.
      await exec.cancelSpread({ tradeId: trade(i).tradeId, reason: "bench" });
      await gw.cancelOrder({ target: { case: "orderId", value: order.order?.orderId ?? 0 } });
      if (process.env.BENCH_DEBUG) console.error(i, ms(t1 - t0), ms(t2 - t1));
      if (i < WARMUP) continue;
      placeSpread.push(t1 - t0);
      placeOrder.push(t2 - t1);
      if (spread.order?.entry?.brokerStatus !== 0 && order.order?.status !== 0) acknowledged++;
    }
  } finally {
    for (const s of sessions) s.abort();
    await execution.stop();
    await gatewayServer.close({ drainTimeoutMs: 200 });
    await lifecycle.shutdown();
    await sim.close();
  }
  placeSpread.sort((a, b) => a - b);
  placeOrder.sort((a, b) => a - b);
  const added = placeSpread.map((x, i) => x - (placeOrder[i] ?? 0)).sort((a, b) => a - b);
  const addedP99 = percentile(added, 99);
  return {
    bench: "execution_place_spread",
    orders: ORDERS,
    acknowledged,
    place_spread_p50_ms: ms(percentile(placeSpread, 50)),
    place_spread_p99_ms: ms(percentile(placeSpread, 99)),
    gateway_place_order_p50_ms: ms(percentile(placeOrder, 50)),
    gateway_place_order_p99_ms: ms(percentile(placeOrder, 99)),
    added_p50_ms: ms(percentile(added, 50)),
    added_p99_ms: ms(addedP99),
    bar: `added p99 ≤ ${BAR_ADDED_P99_MS} ms`,
    // `ok` is the run's correctness (every order acknowledged), as in the other benches; whether
    // the bar is met is reported on its own so a missed bar is visible without failing the run.
    meets_bar: addedP99 <= BAR_ADDED_P99_MS,
    ok: acknowledged === ORDERS,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await run()));
