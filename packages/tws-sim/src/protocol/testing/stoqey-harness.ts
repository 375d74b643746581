// Test-only: a minimal TWS built from this codec, with one real @stoqey/ib client connected to
// it, so tests can check request decoders against what the client really sends and response
// encoders against what it really decodes.
import * as net from "node:net";
import { EventName, IBApi } from "@stoqey/ib";
import { encodeFrame, FrameDecoder } from "../framing.js";
import { handshakeReplyFields, negotiateVersion, parseClientHello } from "../handshake.js";
import { IncomingMessageId } from "../message-ids.js";
import { currentTimeFields, managedAccountsFields, nextValidIdFields } from "../responses/connection.js";

/** An event the client emitted: its name and arguments. */
export interface ClientEvent {
  readonly name: string;
  readonly args: readonly unknown[];
}

/** One fake-TWS connection with a connected, ready @stoqey/ib client. */
export interface StoqeySession {
  readonly ib: IBApi;
  /** The handshake version string the client sent. */
  readonly versionString: string;
  /** Every event the client emitted since connecting (or since {@link clearEvents}). */
  readonly events: ClientEvent[];
  clearEvents(): void;
  /** The next not-yet-taken client frame, optionally the next one with this message id. */
  nextRequest(messageId?: number): Promise<string[]>;
  /** Writes server messages (field lists) to the client. */
  send(...messages: readonly string[][]): void;
  /** Sends the messages and resolves once the client has decoded all of them. */
  sendAndSync(...messages: readonly string[][]): Promise<void>;
  /** The client's 505 reports: "Underrun error", "unprocessed data left on queue", unknown message id. */
  decodingErrors(): ClientEvent[];
  close(): Promise<void>;
}

const WAIT_MS = 3_000;
/** Marker times for sendAndSync; far from any value a test would use. */
let syncMarker = 1_900_000_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`timed out waiting for ${what}`));
    }, WAIT_MS);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Starts a fake TWS on 127.0.0.1:0 that answers the handshake and startApi (managedAccounts +
 * nextValidId) with this codec, connects a real IBApi to it and resolves once the client is
 * ready (it has received nextValidId).
 */
export async function connectStoqeyClient(options: { clientId?: number; nextValidId?: number } = {}): Promise<StoqeySession> {
  const received: string[][] = [];
  const waiters: { messageId: number | undefined; resolve: (fields: string[]) => void }[] = [];
  let versionString = "";
  let serverSocket: net.Socket | undefined;

  const deliver = (fields: string[]): void => {
    const messageId = Number(fields[0]);
    const index = waiters.findIndex((w) => w.messageId === undefined || w.messageId === messageId);
    const waiter = index >= 0 ? waiters.splice(index, 1)[0] : undefined;
    if (waiter === undefined) received.push(fields);
    else waiter.resolve(fields);
  };

  const server = net.createServer((socket) => {
    serverSocket = socket;
    const decoder = new FrameDecoder();
    socket.on("data", (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) {
        if (event.kind === "handshake") {
          versionString = event.versionString;
          const hello = parseClientHello(event.versionString);
          const version = hello instanceof Error ? hello : negotiateVersion(hello);
          if (version instanceof Error) {
            socket.destroy();
            return;
          }
          socket.write(encodeFrame(handshakeReplyFields(version, Date.now())));
        } else if (event.kind === "message") {
          if (event.fields[0] === String(IncomingMessageId.startApi)) {
            socket.write(encodeFrame(managedAccountsFields(["DU123456"])));
            socket.write(encodeFrame(nextValidIdFields(options.nextValidId ?? 1000)));
          }
          deliver(event.fields);
        } else {
          socket.destroy();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;

  const ib = new IBApi({ host: "127.0.0.1", port, maxReqPerSec: 1000 });
  const events: ClientEvent[] = [];
  ib.on(EventName.all, (name: string, args: unknown) => {
    events.push({ name, args: Array.isArray(args) ? (args as unknown[]) : [args] });
  });
  // EventEmitter throws on an 'error' event nobody listens to; the 'all' listener records it.
  ib.on(EventName.error, () => undefined);
  const ready = new Promise<void>((resolve) => ib.once(EventName.nextValidId, () => { resolve(); }));
  ib.connect(options.clientId ?? 7);
  await withTimeout(ready, "nextValidId");

  const send = (...messages: readonly string[][]): void => {
    if (serverSocket === undefined) throw new Error("client not connected");
    for (const fields of messages) serverSocket.write(encodeFrame(fields));
  };

  return {
    ib,
    get versionString() {
      return versionString;
    },
    events,
    clearEvents() {
      events.length = 0;
    },
    nextRequest(messageId) {
      const index = received.findIndex((f) => messageId === undefined || Number(f[0]) === messageId);
      if (index >= 0) return Promise.resolve(received.splice(index, 1)[0] ?? []);
      return withTimeout(
        new Promise<string[]>((resolve) => waiters.push({ messageId, resolve })),
        `client message ${messageId ?? "(any)"}`,
      );
    },
    send,
    async sendAndSync(...messages) {
      const marker = syncMarker++;
      const seen = new Promise<void>((resolve) => {
        const onTime = (time: number): void => {
          if (time !== marker) return;
          ib.off(EventName.currentTime, onTime);
          resolve();
        };
        ib.on(EventName.currentTime, onTime);
      });
      send(...messages, currentTimeFields(marker));
      await withTimeout(seen, `the client to process message ids ${messages.map((m) => m[0]).join(",")}`);
      // Drop the marker's own event so tests see only theirs.
      const last = events.findLastIndex((e) => e.name === "currentTime" && e.args[0] === marker);
      if (last >= 0) events.splice(last, 1);
    },
    decodingErrors() {
      return events.filter((e) => (e.name === "error" || e.name === "info") && e.args[1] === 505);
    },
    async close() {
      const closed = serverSocket === undefined ? Promise.resolve() : new Promise((resolve) => serverSocket?.once("close", resolve));
      ib.disconnect();
      serverSocket?.destroy();
      await closed;
      await new Promise<void>((resolve) => server.close(() => { resolve(); }));
    },
  };
}
