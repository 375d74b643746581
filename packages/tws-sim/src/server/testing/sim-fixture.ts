// Test-only: a simulator on 127.0.0.1:0 with a stepped clock, and @stoqey/ib clients connected to it.
import * as net from "node:net";
import { EventName, IBApi } from "@stoqey/ib";
import { createLogger } from "@spreadops/runtime";
import type { Logger, Metrics } from "@spreadops/runtime";
import { encodeFrame, FrameDecoder } from "../../protocol/index.js";
import type { RunningSimulator, SimulatorSettings } from "../simulator.js";
import { startSimulator } from "../simulator.js";

/** Tuesday 2026-03-10 10:00 New York (EDT): a regular session is open. */
export const SESSION_START = Date.parse("2026-03-10T14:00:00Z");

/** A logger that drops everything below error, for quiet tests. */
export function quietLogger(): Logger {
  return createLogger({ service: "tws-sim-test", level: "error", destination: { write: () => true } });
}

/** Starts a simulator on a free port with a stepped clock at {@link SESSION_START} (its stats on `metrics` when given). */
export function startTestSimulator(settings: Partial<SimulatorSettings> = {}, metrics?: Metrics): Promise<RunningSimulator> {
  return startSimulator(
    { seed: 42, clock: "stepped", startMs: SESSION_START, port: 0, host: "127.0.0.1", minTickIntervalMs: 0, loopIntervalMs: 20, maxMessagesPerSecond: 1000, ...settings },
    quietLogger(),
    metrics,
  );
}

/** An event a client emitted. */
export interface Seen {
  readonly name: string;
  readonly args: readonly unknown[];
}

/** A connected @stoqey/ib client that records every event. */
export class TestClient {
  readonly events: Seen[] = [];
  #waiters: { match: (e: Seen) => boolean; resolve: (e: Seen) => void }[] = [];

  private constructor(readonly ib: IBApi) {
    ib.on(EventName.all, (name: string, args: unknown) => {
      const event = { name, args: Array.isArray(args) ? (args as unknown[]) : [args] };
      this.events.push(event);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.match(event)) return true;
        w.resolve(event);
        return false;
      });
    });
    ib.on(EventName.error, () => undefined);
  }

  /** Connects and resolves when the client has nextValidId. */
  static async connect(port: number, clientId: number): Promise<TestClient> {
    const ib = new IBApi({ host: "127.0.0.1", port, maxReqPerSec: 1000 });
    const client = new TestClient(ib);
    const ready = client.next(EventName.nextValidId);
    ib.connect(clientId);
    await ready;
    return client;
  }

  /** Events named `name` seen so far (optionally filtered). */
  all(name: string, match: (args: readonly unknown[]) => boolean = () => true): Seen[] {
    return this.events.filter((e) => e.name === name && match(e.args));
  }

  /** The next (or an already seen, when `seen` is true) event named `name` that matches. */
  next(name: string, match: (args: readonly unknown[]) => boolean = () => true, timeoutMs = 3000, seen = false): Promise<Seen> {
    if (seen) {
      const found = this.events.find((e) => e.name === name && match(e.args));
      if (found !== undefined) return Promise.resolve(found);
    }
    return new Promise<Seen>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`timed out waiting for ${name}`));
      }, timeoutMs);
      this.#waiters.push({
        match: (e) => e.name === name && match(e.args),
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  /** Waits for an event already seen or still to come. */
  seenOrNext(name: string, match: (args: readonly unknown[]) => boolean = () => true, timeoutMs = 3000): Promise<Seen> {
    return this.next(name, match, timeoutMs, true);
  }

  clear(): void {
    this.events.length = 0;
  }

  disconnect(): void {
    this.ib.disconnect();
  }
}

/** A raw TWS API connection: handshake, then frames in both directions, for emulating other clients. */
export class RawClient {
  readonly frames: { readonly at: number; readonly fields: readonly string[] }[] = [];
  closed = false;
  #waiters: { match: (f: readonly string[]) => boolean; resolve: (f: readonly string[]) => void }[] = [];

  private constructor(readonly socket: net.Socket) {
    const decoder = new FrameDecoder({ expectHandshake: false });
    socket.on("data", (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) {
        if (event.kind !== "message") continue;
        this.frames.push({ at: Date.now(), fields: event.fields });
        this.#waiters = this.#waiters.filter((w) => {
          if (!w.match(event.fields)) return true;
          w.resolve(event.fields);
          return false;
        });
      }
    });
    socket.on("close", () => {
      this.closed = true;
    });
    socket.on("error", () => undefined);
  }

  /** Connects and sends the handshake with `versionString` (ib_async's by default). */
  static async connect(port: number, versionString = "v157..178"): Promise<RawClient> {
    const socket = net.connect(port, "127.0.0.1");
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const client = new RawClient(socket);
    const version = Buffer.from(versionString, "ascii");
    const header = Buffer.alloc(4);
    header.writeUInt32BE(version.length);
    socket.write(Buffer.concat([Buffer.from("API\0", "latin1"), header, version]));
    return client;
  }

  send(...fields: string[]): void {
    this.socket.write(encodeFrame(fields));
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** The next frame (already received or to come) whose fields match. */
  frame(match: (fields: readonly string[]) => boolean, timeoutMs = 3000): Promise<readonly string[]> {
    const found = this.frames.find((f) => match(f.fields));
    if (found !== undefined) return Promise.resolve(found.fields);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error("timed out waiting for a frame"));
      }, timeoutMs);
      this.#waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  /** Resolves when the server closed the socket. */
  whenClosed(timeoutMs = 3000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error("socket still open"));
      }, timeoutMs);
      this.socket.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
