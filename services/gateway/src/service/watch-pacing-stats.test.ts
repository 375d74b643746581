// Tier 2: WatchPacingStats through an in-memory Connect transport, on fake time, so intervals and
// the timer's cleanup are exact.
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { GatewayService } from "@spreadops/api";
import type { WatchPacingStatsResponse } from "@spreadops/api";
import { describe, expect, it } from "vitest";
import type { ConnectionStatus } from "../connection/status.js";
import { FakeClock } from "../scheduler/testing/fake-clock.js";
import type { ConnectionView } from "./gateway-service.js";
import { GatewayServiceHandler } from "./gateway-service.js";
import { registerGatewayRoutes } from "./routes.js";
import { recordingAreas } from "./testing/fake-areas.js";

const status: ConnectionStatus = {
  state: "disconnected",
  reason: "test",
  since: 0,
  mode: "paper",
  clientId: 1,
  host: "127.0.0.1",
  port: 7497,
  farms: { marketData: "unknown", historical: "unknown", secDef: "unknown" },
  lastErrors: [],
  reconnects: {},
  competingSession: false,
};

const connection: ConnectionView = {
  status,
  checkAvailable: () => {
    throw new ConnectError("not connected", Code.Unavailable);
  },
  async *watchStatus() {
    await Promise.resolve();
    yield status;
  },
};

/** Lets queued promise callbacks (and the in-memory transport's hops) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A follower gateway on fake time whose pacing counters count the reads (queue_depth = reads so far). */
function setup() {
  const clock = new FakeClock();
  const areas = recordingAreas();
  let reads = 0;
  const service = new GatewayServiceHandler({
    connection,
    leadership: { isLeader: () => false, identity: "gateway-1" },
    market: {
      ...areas.market,
      getPacingStats: () => {
        reads += 1;
        return { stats: { queueDepth: reads, asOf: timestampFromMs(clock.now()) } };
      },
    },
    orders: areas.orders,
    now: () => clock.now(),
    timers: clock,
    marketDataType: 1,
  });
  const client = createClient(GatewayService, createRouterTransport((router) => { registerGatewayRoutes(router, service); }));
  return { clock, client };
}

/** The stream's messages as they arrive, and how it ended. */
function consume(stream: AsyncIterable<WatchPacingStatsResponse>) {
  const messages: WatchPacingStatsResponse[] = [];
  const ended = (async (): Promise<ConnectError | undefined> => {
    try {
      for await (const message of stream) messages.push(message);
      return undefined;
    } catch (error) {
      return ConnectError.from(error);
    }
  })();
  return { messages, ended };
}

describe("WatchPacingStats on fake time", () => {
  it("sends the counters at once, then once per interval, on a follower too, and leaves no timer when cancelled", async () => {
    const { clock, client } = setup();
    const start = clock.now();
    const abort = new AbortController();
    const { messages, ended } = consume(client.watchPacingStats({ interval: { nanos: 500_000_000 } }, { signal: abort.signal }));
    await settle();
    expect(messages.map((m) => m.stats?.queueDepth)).toEqual([1]);
    expect(clock.pending).toBe(1);

    clock.advance(499);
    await settle();
    expect(messages).toHaveLength(1);
    clock.advance(1);
    await settle();
    clock.advance(500);
    await settle();
    // Each message carries fresh counters, read when it was sent.
    expect(messages.map((m) => m.stats?.queueDepth)).toEqual([1, 2, 3]);
    expect(messages.map((m) => timestampMs(m.stats?.asOf ?? timestampFromMs(0)) - start)).toEqual([0, 500, 1000]);

    abort.abort();
    expect((await ended)?.code).toBe(Code.Canceled);
    await settle();
    expect(clock.pending).toBe(0);
    clock.advance(10_000);
    await settle();
    expect(messages).toHaveLength(3);
  });

  it("defaults to one message per second", async () => {
    const { clock, client } = setup();
    const abort = new AbortController();
    const { messages, ended } = consume(client.watchPacingStats({}, { signal: abort.signal }));
    await settle();
    clock.advance(999);
    await settle();
    expect(messages).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(messages).toHaveLength(2);
    abort.abort();
    await ended;
  });

  it("refuses an interval outside 250 ms – 60 s before starting any timer", async () => {
    const { clock, client } = setup();
    for (const interval of [{ nanos: 100_000_000 }, { seconds: 61n }]) {
      const { messages, ended } = consume(client.watchPacingStats({ interval }));
      const error = await ended;
      expect(error?.code).toBe(Code.InvalidArgument);
      expect(error?.rawMessage).toMatch(/^invalid interval: expected a duration from 0\.25 to 60 s, got /);
      expect(messages).toEqual([]);
    }
    expect(clock.pending).toBe(0);
  });
});
