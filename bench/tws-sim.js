// Benchmarks of the TWS simulator (docs/simulator.md):
// - tws_sim_inbound_parse: client messages the server takes in per second, end to end over a
//   real socket (framing, decoding, dispatch, and the reply), plus the codec alone;
// - tws_sim_stream_100x4: CPU the simulator spends streaming 100 option contracts at 4 updates/s.
import * as net from "node:net";
import { Buffer } from "node:buffer";
import console from "node:console";
import process from "node:process";
import { setTimeout } from "node:timers";
import { createLogger } from "../packages/runtime/dist/index.js";
import { protocol, startSimulator } from "../packages/tws-sim/dist/index.js";

const { decodeRequest, encodeFrame, FrameDecoder } = protocol;
const quiet = () => createLogger({ service: "bench", level: "error", destination: { write: () => true } });
const SESSION = Date.parse("2026-03-10T14:00:00Z");

function handshake(socket, clientId) {
  const version = Buffer.from("v100..193", "ascii");
  const header = Buffer.alloc(4);
  header.writeUInt32BE(version.length);
  socket.write(Buffer.concat([Buffer.from("API\0", "latin1"), header, version]));
  socket.write(encodeFrame(["71", "2", String(clientId), ""]));
}

/** A client that counts server frames by message id. */
function connect(port, clientId) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const decoder = new FrameDecoder({ expectHandshake: false });
    const counts = new Map();
    const state = { socket, counts, ready: undefined, onFrame: undefined };
    state.ready = new Promise((ready) => {
      socket.on("data", (chunk) => {
        for (const event of decoder.push(chunk)) {
          if (event.kind !== "message") continue;
          const id = event.fields[0];
          counts.set(id, (counts.get(id) ?? 0) + 1);
          if (id === "9") ready();
          state.onFrame?.(event.fields);
        }
      });
    });
    socket.once("error", reject);
    socket.once("connect", () => {
      handshake(socket, clientId);
      resolve(state);
    });
  });
}

/** A realistic mix of client frames: market data, contract details, orders (a 2-leg BAG), queries. */
function requestMix() {
  const contract = ["0", "SPY", "STK", "", "", "", "", "SMART", "", "USD", "", ""];
  const reqMktData = ["1", "11", "7", ...contract, "0", "100,101", "0", "0", ""];
  const reqContractDetails = ["9", "8", "8", ...contract, "0", "", "", ""];
  const reqCurrentTime = ["49", "1"];
  const cancelMktData = ["2", "1", "7"];
  return [reqMktData, reqContractDetails, reqCurrentTime, cancelMktData].map((fields) => encodeFrame(fields));
}

function codecOnly() {
  const frames = requestMix();
  const stream = Buffer.concat(Array.from({ length: 25_000 }, (_, i) => frames[i % frames.length]));
  const run = () => {
    const decoder = new FrameDecoder({ expectHandshake: false });
    let n = 0;
    for (let offset = 0; offset < stream.length; offset += 65_536) {
      for (const event of decoder.push(stream.subarray(offset, offset + 65_536))) {
        if (event.kind === "message" && decodeRequest(event.fields).type !== "malformed") n++;
      }
    }
    return n;
  };
  run();
  const started = process.hrtime.bigint();
  const n = run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return Math.round(n / seconds);
}

async function inboundParse() {
  const sim = await startSimulator(
    { seed: 42, clock: "stepped", startMs: SESSION, port: 0, maxMessagesPerSecond: 1_000_000, rateDisconnectAfter: 0 },
    quiet(),
  );
  try {
    const client = await connect(sim.address.port, 1);
    await client.ready;
    // reqCurrentTime and reqIds: each is decoded, dispatched and answered, so the count of
    // answers proves every message went through.
    const frames = [encodeFrame(["49", "1"]), encodeFrame(["8", "1", "1"])];
    const total = 100_000;
    const batch = Buffer.concat(Array.from({ length: 1_000 }, (_, i) => frames[i % 2]));
    const answers = () => (client.counts.get("49") ?? 0) + (client.counts.get("9") ?? 0) - 1;
    const started = process.hrtime.bigint();
    const done = new Promise((resolve) => {
      client.onFrame = () => {
        if (answers() >= total) resolve();
      };
    });
    for (let sent = 0; sent < total; sent += 1_000) {
      if (!client.socket.write(batch)) await new Promise((r) => client.socket.once("drain", r));
    }
    await done;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    client.socket.destroy();
    const msgsPerS = Math.round(total / seconds);
    return {
      bench: "tws_sim_inbound_parse",
      msgs_per_s: msgsPerS,
      messages: total,
      codec_only_msgs_per_s: codecOnly(),
      ok: msgsPerS >= 20_000,
    };
  } finally {
    await sim.close();
  }
}

async function stream100x4() {
  // Accelerated ×4: the market moves once per simulated second, so 4 times per real second.
  const sim = await startSimulator(
    { seed: 42, clock: "accelerated", speed: 4, startMs: SESSION, port: 0, maxMessagesPerSecond: 1_000_000, minTickIntervalMs: 250 },
    quiet(),
  );
  try {
    const market = sim.server.world.market;
    const chain = market.optionChain("SPY");
    const expiry = chain.expirations.find((e) => e.lastTradeTime - SESSION > 20 * 86_400_000);
    const spot = market.quote(756733).last;
    const strikes = [...expiry.strikes].sort((a, b) => Math.abs(a - spot) - Math.abs(b - spot)).slice(0, 50);
    const contracts = strikes.flatMap((strike) => market.findContracts({ symbol: "SPY", expiry: expiry.expiry, strike }));
    const client = await connect(sim.address.port, 1);
    await client.ready;
    const perTicker = new Map();
    client.onFrame = (fields) => {
      if (fields[0] === "21") perTicker.set(fields[1], (perTicker.get(fields[1]) ?? 0) + 1);
    };
    contracts.slice(0, 100).forEach((c, i) => {
      client.socket.write(encodeFrame(["1", "11", String(i + 1), String(c.conId), "", "", "", "", "", "", "SMART", "", "", "", "", "0", "100,101,106", "0", "0", ""]));
    });
    await new Promise((r) => setTimeout(r, 1_000));
    perTicker.clear();
    const seconds = 5;
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    await new Promise((r) => setTimeout(r, seconds * 1_000));
    const used = process.cpuUsage(cpu);
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    client.socket.destroy();
    const updates = [...perTicker.values()].reduce((a, b) => a + b, 0);
    const cpuMsPerS = (used.user + used.system) / 1_000 / wall;
    return {
      bench: "tws_sim_stream_100x4",
      contracts: perTicker.size,
      greeks_updates_per_contract_per_s: Number((updates / Math.max(1, perTicker.size) / wall).toFixed(2)),
      cpu_ms_per_s: Math.round(cpuMsPerS),
      core_share: Number((cpuMsPerS / 1_000).toFixed(3)),
      ok: perTicker.size === 100 && cpuMsPerS < 1_000,
    };
  } finally {
    await sim.close();
  }
}

/** Both benchmarks, in order. */
export async function run() {
  return [await inboundParse(), await stream100x4()];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const result of await run()) console.log(JSON.stringify(result));
}
