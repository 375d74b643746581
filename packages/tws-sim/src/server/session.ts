/**
 * One client connection: framing, handshake and version negotiation, startApi, the client
 * message rate, and an outbox that can delay or drop responses. What a request means is the
 * dispatcher's business; the session only turns bytes into decoded requests and fields into bytes.
 */
import type { Socket } from "node:net";
import type { Logger } from "@spreadops/runtime";
import type { DecodedRequest } from "../protocol/index.js";
import {
  decodeRequest,
  encodeFrame,
  errorFields,
  FrameDecoder,
  handshakeReplyFields,
  negotiateVersion,
  parseClientHello,
  ProtocolError,
} from "../protocol/index.js";
import type { MessageRateLimit } from "./limits-ports.js";
import type { SessionState } from "./session-state.js";
import { createSessionState } from "./session-state.js";
import type { StatsCounters } from "./stats.js";

/** What a session asks of the server. */
export interface SessionHooks {
  /** startApi: claim `clientId`; false when another session holds it (326). */
  claimClientId(session: Session, clientId: number): boolean;
  /** The session is ready (after managedAccounts, nextValidId and farm notices are wanted). */
  onStarted(session: Session): void;
  /** A decoded request of a started session. */
  onRequest(session: Session, request: DecodedRequest): void;
  /** The socket closed, for whatever reason. */
  onClosed(session: Session): void;
}

/** A session's collaborators. */
export interface SessionOptions {
  readonly id: number;
  readonly socket: Socket;
  readonly logger: Logger;
  readonly hooks: SessionHooks;
  readonly rateLimit: MessageRateLimit;
  readonly stats: StatsCounters;
  /** Wall-clock ms, for the message rate. */
  readonly wallNow: () => number;
  /** Simulated ms, for the handshake reply's connection time. */
  readonly simNow: () => number;
  /** Current response delay (ms, 0 = none). */
  readonly delayMs: () => number;
  /** Largest unsent backlog before a slow client is disconnected. */
  readonly maxBufferedBytes: number;
}

type Phase = "handshake" | "awaitingStartApi" | "started" | "closed";

/** One TWS API client connection. */
export class Session {
  readonly id: number;
  readonly state: SessionState = createSessionState();
  /** Handshake version string, e.g. `v100..193` (@stoqey/ib) or `v157..178` (ib_async). */
  versionString = "";
  #phase: Phase = "handshake";
  #clientId: number | undefined;
  /** True while the responses of the current request are being dropped (fault injection). */
  dropping = false;
  readonly #socket: Socket;
  readonly #decoder = new FrameDecoder();
  readonly #options: SessionOptions;
  readonly #logger: Logger;

  constructor(options: SessionOptions) {
    this.id = options.id;
    this.#options = options;
    this.#socket = options.socket;
    this.#logger = options.logger;
    this.#socket.setNoDelay(true);
    this.#socket.on("data", (chunk: Buffer) => {
      this.#onData(chunk);
    });
    this.#socket.on("error", (error) => {
      this.#logger.debug({ session: this.id, err: error }, "client socket error");
    });
    this.#socket.on("close", () => {
      const wasOpen = this.#phase !== "closed";
      this.#phase = "closed";
      if (wasOpen || this.#clientId !== undefined) options.hooks.onClosed(this);
    });
  }

  /** The client id after startApi. */
  get clientId(): number | undefined {
    return this.#clientId;
  }

  /** This connection's client message rate. */
  get rateLimit(): MessageRateLimit {
    return this.#options.rateLimit;
  }

  /** Handshake done and startApi accepted. */
  get started(): boolean {
    return this.#phase === "started";
  }

  get closed(): boolean {
    return this.#phase === "closed";
  }

  /** The peer's address, for logs. */
  get peer(): string {
    return `${this.#socket.remoteAddress ?? "?"}:${this.#socket.remotePort ?? 0}`;
  }

  /** Sends one message unless its request's responses are being dropped. */
  send(fields: readonly string[]): void {
    if (this.dropping) return;
    this.sendAlways(fields);
  }

  /** Sends one message, delayed like every other but never dropped (notices, connection messages). */
  sendAlways(fields: readonly string[]): void {
    if (this.#phase === "closed") return;
    const frame = encodeFrame(fields);
    const delay = this.#options.delayMs();
    if (delay > 0) {
      // Equal delays keep the order: Node fires same-duration timers in creation order.
      setTimeout(() => {
        this.#write(frame);
      }, delay);
    } else {
      this.#write(frame);
    }
  }

  /** An error/notice message (`[4, 2, id, code, text, ""]`). */
  error(id: number, code: number, message: string): void {
    this.send(errorFields({ id, code, message }));
  }

  /** A connection-level notice (id −1) that no fault drops. */
  notice(code: number, message: string): void {
    this.sendAlways(errorFields({ id: -1, code, message }));
  }

  /** Closes the connection after what was written so far has been flushed. */
  close(reason: string): void {
    if (this.#phase === "closed") return;
    this.#logger.info({ session: this.id, clientId: this.#clientId, reason }, "closing client connection");
    this.#phase = "closed";
    this.#socket.end();
    // A peer that never reads must not keep the socket open.
    setTimeout(() => this.#socket.destroy(), 1000).unref();
  }

  /** Closes at once, dropping anything unsent. */
  destroy(): void {
    this.#phase = "closed";
    this.#socket.destroy();
  }

  #write(frame: Buffer): void {
    if (this.#socket.destroyed || this.#socket.writableEnded) return;
    if (this.#socket.writableLength > this.#options.maxBufferedBytes) {
      this.#logger.warn({ session: this.id, clientId: this.#clientId }, "client is not reading; disconnecting");
      this.destroy();
      return;
    }
    this.#options.stats.sentTotal++;
    this.#socket.write(frame);
  }

  #onData(chunk: Buffer): void {
    if (this.closed) return;
    for (const event of this.#decoder.push(chunk)) {
      // A previous event of this chunk may have closed the session.
      if (this.#isClosed()) return;
      switch (event.kind) {
        case "handshake":
          this.#onHandshake(event.versionString);
          break;
        case "message":
          this.#onMessage(event.fields);
          break;
        case "error":
          this.#logger.warn({ session: this.id, err: event.error.message, fatal: event.fatal }, "malformed client input");
          if (event.fatal) {
            this.close(`protocol error: ${event.error.message}`);
            return;
          }
          if (this.#phase === "started") this.error(-1, 320, `Error reading request: ${event.error.message}`);
          break;
      }
    }
  }

  #isClosed(): boolean {
    return this.#phase === "closed";
  }

  #onHandshake(versionString: string): void {
    this.versionString = versionString;
    const hello = parseClientHello(versionString);
    const version = hello instanceof ProtocolError ? hello : negotiateVersion(hello);
    if (version instanceof ProtocolError) {
      this.#options.stats.refused++;
      this.#logger.info({ session: this.id, versionString }, "refusing client: unsupported version");
      this.destroy();
      return;
    }
    this.sendAlways(handshakeReplyFields(version, this.#options.simNow()));
    this.#phase = "awaitingStartApi";
  }

  #onMessage(fields: string[]): void {
    if (this.#phase === "awaitingStartApi") {
      const request = decodeRequest(fields);
      if (request.type !== "startApi") {
        // TWS ignores anything before startApi; so do we.
        this.#logger.debug({ session: this.id, type: request.type }, "ignoring a message before startApi");
        return;
      }
      this.#options.stats.received("startApi");
      if (!this.#options.hooks.claimClientId(this, request.clientId)) {
        this.#options.stats.refused++;
        this.notice(326, "Unable to connect as the client id is already in use. Retry with a unique client id.");
        this.close(`client id ${request.clientId} already in use`);
        return;
      }
      this.#clientId = request.clientId;
      this.#phase = "started";
      this.#options.hooks.onStarted(this);
      return;
    }
    if (this.#phase !== "started") return;

    const verdict = this.#options.rateLimit.onMessage(this.#options.wallNow());
    if (verdict !== "ok") {
      this.#options.stats.messageRateViolations++;
      this.notice(100, "Max rate of messages per second has been exceeded.");
      if (verdict === "disconnect") {
        this.#options.stats.rateDisconnects++;
        this.close("message rate exceeded repeatedly");
        return;
      }
    }
    const request = decodeRequest(fields);
    this.#options.stats.received(requestName(request));
    this.#options.hooks.onRequest(this, request);
  }
}

/** The name a request is counted under in stats. */
export function requestName(request: DecodedRequest): string {
  return request.type === "malformed" ? "malformed" : request.type;
}
