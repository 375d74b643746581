import { EventName, IBApi } from "@stoqey/ib";
import { redactAccount, unavailable } from "@spreadops/runtime";
import type { Logger, Readiness } from "@spreadops/runtime";
import type { CancelTimer, Clock } from "../scheduler/clock.js";
import type { OutboundScheduler, SubmitOptions } from "../scheduler/outbound-scheduler.js";
import type { Priority } from "../scheduler/priority.js";
import { checkAccountMode, parseManagedAccounts } from "./account-mode.js";
import { Backoff } from "./backoff.js";
import type { ConnectionMetrics } from "./connection-metrics.js";
import { IdAllocator } from "./id-allocator.js";
import { restartWindowAt, validateRestartWindow } from "./restart-window.js";
import type { RestartWindow } from "./restart-window.js";
import type { TwsConnectionSettings } from "./settings.js";
import { farmNotice } from "./status.js";
import type { ConnectionState, ConnectionStatus, ReconnectCause, TwsErrorRecord } from "./status.js";
import type { TwsEvent, TwsEventArgs } from "./tws-events.js";
import { TypedEvents } from "./typed-events.js";
import { disableNagle } from "./socket-tuning.js";

/** What the data layer must restore after a (re)connect. */
export interface RestoredEvent {
  /** Sequence number of the session (1 = first connect). */
  readonly session: number;
  readonly reconnect: boolean;
  /** Requests the connection re-sent itself: reqMarketDataType, reqOpenOrders, reqPositions. */
  readonly resent: readonly string[];
  /** True after a reconnect: every market-data subscription of the old socket is gone. */
  readonly resubscribe: boolean;
}

/** Market-data subscriptions were lost and must be requested again. */
export interface ResubscribeRequiredEvent {
  /** `dataLost`: TWS sent 1101; `reconnect`: a new socket. */
  readonly cause: "dataLost" | "reconnect";
  readonly session: number;
}

/** Events of a {@link TwsConnection}. */
export interface ConnectionEvents {
  status: ConnectionStatus;
  restored: RestoredEvent;
  resubscribeRequired: ResubscribeRequiredEvent;
}

/** Collaborators of a {@link TwsConnection}. */
export interface TwsConnectionDeps {
  readonly scheduler: OutboundScheduler;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly metrics?: ConnectionMetrics;
  /** Source of backoff jitter; default Math.random. */
  readonly random?: () => number;
  /** Creates the @stoqey/ib client of one session (tests may wrap it). */
  readonly createApi?: (options: { readonly host: string; readonly port: number }) => IBApi;
}

interface Session {
  readonly seq: number;
  readonly ib: IBApi;
  ready: boolean;
  gotNextValidId: boolean;
  accounts: string[] | undefined;
  /** Set when the connection itself closes the session: its `disconnected` is expected. */
  closing: boolean;
  /** Why it failed, when known before the socket closed (326, socket error). */
  failure: ReconnectCause | undefined;
  probe: { readonly seq: number; cancel: CancelTimer | undefined } | undefined;
}

type Handler = (...args: unknown[]) => void;

/** IBApi's `on` overloads cannot take an event name held in a variable; this is the plain emitter view. */
interface RawEmitter {
  on(event: string, handler: Handler): unknown;
  off(event: string, handler: Handler): unknown;
}

function raw(ib: IBApi): RawEmitter {
  return ib;
}

const MAX_ERROR_RECORDS = 20;

/** A second 1101 within this long of the first (without a 1100 between) is the same event. */
const DUPLICATE_NOTICE_MS = 2000;

/** Codes that mean TWS lost its link to IB (data paused, orders refused). */
const CONNECTIVITY_LOST = new Set([1100, 2110]);

function defaultCreateApi(options: { readonly host: string; readonly port: number }): IBApi {
  // The outbound scheduler paces every message; @stoqey's own limiter (40/s by default) would
  // queue behind it and shift send times, so it is set far above the 50/s cap.
  return new IBApi({ host: options.host, port: options.port, maxReqPerSec: 1000 });
}

/**
 * The gateway's one TWS session: connects with a fixed client id (backoff + jitter, never
 * another id), watches the socket with a reqCurrentTime probe, follows TWS's connectivity and
 * farm notices, restores what TWS forgets after each reconnect, keeps order and request ids
 * unique, honours the daily restart window and refuses the wrong kind of account.
 *
 * The IBApi is never handed out: calls go through {@link send} (the outbound scheduler) and
 * events through {@link on}, whose handlers follow the connection across reconnects.
 */
export class TwsConnection {
  readonly #settings: TwsConnectionSettings;
  readonly #scheduler: OutboundScheduler;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #metrics: ConnectionMetrics | undefined;
  readonly #createApi: (options: { readonly host: string; readonly port: number }) => IBApi;
  readonly #backoff: Backoff;
  readonly #ids = new IdAllocator();
  readonly #events: TypedEvents<ConnectionEvents>;
  readonly #handlers = new Map<TwsEvent, Set<Handler>>();

  #status: ConnectionStatus;
  #running = false;
  #session: Session | undefined;
  #sessionSeq = 0;
  #probeSeq = 0;
  #reconnectTimer: CancelTimer | undefined;
  #connectTimer: CancelTimer | undefined;
  #probeTimer: CancelTimer | undefined;
  #windowTimer: CancelTimer | undefined;
  #window: RestartWindow | undefined;
  #errors = new Map<number, TwsErrorRecord>();
  #last1101At = Number.NEGATIVE_INFINITY;

  constructor(settings: TwsConnectionSettings, deps: TwsConnectionDeps) {
    if (settings.restartWindow !== undefined) validateRestartWindow(settings.restartWindow);
    this.#settings = settings;
    this.#scheduler = deps.scheduler;
    this.#logger = deps.logger.child({ component: "tws-connection", clientId: settings.clientId });
    this.#clock = deps.clock;
    this.#metrics = deps.metrics;
    this.#createApi = deps.createApi ?? defaultCreateApi;
    this.#backoff = new Backoff(settings.backoff, deps.random);
    this.#events = new TypedEvents((error: unknown) => {
      this.#logger.error({ err: error }, "connection event listener failed");
    });
    this.#scheduler.pause();
    this.#status = {
      state: "disconnected",
      reason: "not started",
      since: this.#clock.now(),
      mode: settings.mode,
      clientId: settings.clientId,
      host: settings.host,
      port: settings.port,
      farms: { marketData: "unknown", historical: "unknown", secDef: "unknown" },
      lastErrors: [],
      reconnects: {},
      competingSession: false,
    };
    this.#metrics?.state("disconnected");
  }

  // ---- public surface -------------------------------------------------------------------

  /** The current status. */
  get status(): ConnectionStatus {
    return this.#status;
  }

  /** Subscribes to `status`, `restored` or `resubscribeRequired`; returns the unsubscribe function. */
  onEvent<K extends keyof ConnectionEvents>(event: K, listener: (value: ConnectionEvents[K]) => void, signal?: AbortSignal): () => void {
    return this.#events.on(event, listener, signal);
  }

  /**
   * Every status change, starting with the current status, until `signal` aborts (for the
   * `WatchConnectionStatus` stream). A slow reader gets the latest status, not a backlog.
   */
  async *watchStatus(signal?: AbortSignal): AsyncGenerator<ConnectionStatus, void, undefined> {
    let latest: ConnectionStatus | undefined = this.#status;
    let wake: (() => void) | undefined;
    const off = this.#events.on("status", (status) => {
      latest = status;
      wake?.();
    });
    const onAbort = (): void => wake?.();
    signal?.addEventListener("abort", onAbort);
    try {
      while (signal?.aborted !== true) {
        if (latest !== undefined) {
          const next: ConnectionStatus = latest;
          latest = undefined;
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    } finally {
      off();
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Adds the `tws-connected` readiness check: ready only while the session is connected. */
  registerReadiness(readiness: Readiness): void {
    readiness.add("tws-connected", () => ({
      ok: this.#status.state === "connected",
      message: this.#status.state === "connected" ? "connected" : `${this.#status.state}: ${this.#status.reason}`,
    }));
  }

  /**
   * Subscribes to a TWS event. The handler stays attached across reconnects until the returned
   * function is called or `signal` aborts.
   */
  on<E extends TwsEvent>(event: E, handler: (...args: TwsEventArgs[E]) => void, signal?: AbortSignal): () => void {
    let set = this.#handlers.get(event);
    if (set === undefined) {
      set = new Set();
      this.#handlers.set(event, set);
    }
    const entry = handler as unknown as Handler;
    set.add(entry);
    if (this.#session !== undefined) raw(this.#session.ib).on(event, entry);
    const off = (): void => {
      set.delete(entry);
      if (this.#session !== undefined) raw(this.#session.ib).off(event, entry);
      signal?.removeEventListener("abort", off);
    };
    signal?.addEventListener("abort", off, { once: true });
    return off;
  }

  /**
   * Sends one TWS API call through the outbound scheduler. `call` gets the session's IBApi and
   * must make exactly `options.cost` (default 1) API calls; the IBApi must not be kept.
   * @throws ConnectError `unavailable` when TWS is not usable now (see {@link checkAvailable}),
   *   or when the session ended before the call was sent.
   */
  send(priority: Priority, call: (ib: IBApi) => unknown, options?: SubmitOptions): Promise<void> {
    try {
      this.checkAvailable(priority);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const session = this.#session;
    return this.#submit(session, priority, call, options);
  }

  /**
   * Throws the runtime's `unavailable` error when work cannot go to TWS now: not connected,
   * inside the restart window (naming when it ends), refused (fatal), or — for orders — while TWS
   * has lost its link to IB.
   */
  checkAvailable(priority?: Priority): void {
    const { state, reason } = this.#status;
    switch (state) {
      case "connected":
        return;
      case "degraded":
        if (priority === "order") throw unavailable(`TWS lost connectivity to IB; orders are paused (${reason})`);
        return;
      case "restartWindow": {
        const endMs = this.#window?.endMs ?? this.#clock.now();
        const inMs = Math.max(0, endMs - this.#clock.now());
        throw unavailable(`TWS daily restart window: unavailable until ${new Date(endMs).toISOString()} (in ${inMs} ms)`);
      }
      case "fatal":
        throw unavailable(`TWS connection refused: ${reason}`);
      default:
        throw unavailable(`TWS is not connected (${state}: ${reason})`);
    }
  }

  /** The next order id; above every id seen this session. Throws `unavailable` before the first nextValidId. */
  nextOrderId(): number {
    return this.#ids.nextOrderId();
  }

  /** The next request id (tickerId / reqId); never equal to an order id. */
  nextRequestId(): number {
    return this.#ids.nextRequestId();
  }

  /** Connects (and keeps reconnecting) until {@link stop}. Does nothing when already started. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#logger.info({ host: this.#settings.host, port: this.#settings.port, mode: this.#settings.mode }, "TWS connection starting");
    const decision = checkAccountMode({ mode: this.#settings.mode, liveConfirmed: this.#settings.liveConfirmed, port: this.#settings.port });
    if (!decision.ok) {
      this.#fatal(decision.reason);
      return;
    }
    this.#backoff.reset();
    if (this.#armRestartWindow()) return;
    this.#connect();
  }

  /**
   * Disconnects at once and stops reconnecting until {@link start} (leadership lost: there must
   * never be two sessions).
   */
  stop(reason = "stopped"): void {
    this.#running = false;
    this.#cancelTimers();
    this.#windowTimer?.();
    this.#windowTimer = undefined;
    this.#closeSession(`stopped: ${reason}`);
    if (this.#status.state !== "fatal") this.#setState("disconnected", reason, { nextAttemptAt: undefined });
    this.#logger.info({ reason }, "TWS connection stopped");
  }

  // ---- connecting -------------------------------------------------------------------------

  #connect(): void {
    this.#reconnectTimer = undefined;
    if (!this.#running) return;
    const seq = ++this.#sessionSeq;
    const ib = this.#createApi({ host: this.#settings.host, port: this.#settings.port });
    const session: Session = {
      seq,
      ib,
      ready: false,
      gotNextValidId: false,
      accounts: undefined,
      closing: false,
      failure: undefined,
      probe: undefined,
    };
    this.#session = session;
    this.#attach(session);
    this.#setState("connecting", `connecting to ${this.#settings.host}:${this.#settings.port} (attempt ${this.#backoff.attempt + 1})`, {
      nextAttemptAt: undefined,
      farms: { marketData: "unknown", historical: "unknown", secDef: "unknown" },
      competingSession: false,
    });
    this.#connectTimer = this.#clock.setTimer(this.#settings.connectTimeoutMs, () => {
      this.#connectTimer = undefined;
      if (this.#session === session && !session.ready) {
        this.#lose(session, session.failure ?? "connectTimeout", `no nextValidId/managedAccounts within ${this.#settings.connectTimeoutMs} ms`);
      }
    });
    ib.connect(this.#settings.clientId);
  }

  #attach(session: Session): void {
    const { ib } = session;
    const current = (): boolean => this.#session === session && !session.closing;
    // @stoqey emits TWS messages with id −1 as `info` (message, code) and the rest as `error`.
    ib.on(EventName.info, (message: string, code: number) => {
      if (current()) this.#onTwsMessage(session, code, -1, message);
    });
    ib.on(EventName.error, (error: Error, code: number, reqId: number) => {
      if (current()) this.#onTwsMessage(session, code, reqId, error.message);
    });
    ib.on(EventName.connected, () => {
      if (!current()) return;
      if (!disableNagle(ib)) this.#logger.warn("could not turn Nagle's algorithm off on the TWS socket (@stoqey/ib internals changed?): small requests may wait ~40 ms for ACKs");
      this.#patch({ serverVersion: ib.serverVersion });
    });
    ib.on(EventName.managedAccounts, (text: string) => {
      if (!current()) return;
      session.accounts = parseManagedAccounts(text);
      this.#maybeReady(session);
    });
    ib.on(EventName.nextValidId, (orderId: number) => {
      if (!current()) return;
      this.#ids.onNextValidId(orderId);
      session.gotNextValidId = true;
      this.#maybeReady(session);
    });
    ib.on(EventName.openOrder, (orderId: number) => {
      if (current()) this.#ids.observe(orderId);
    });
    ib.on(EventName.orderStatus, (orderId: number) => {
      if (current()) this.#ids.observe(orderId);
    });
    ib.on(EventName.currentTime, () => {
      if (current()) this.#onProbeAnswer(session);
    });
    ib.on(EventName.disconnected, () => {
      if (current()) this.#lose(session, session.failure ?? (session.ready ? "socketClosed" : "connectFailed"), "socket closed");
    });
    for (const [event, handlers] of this.#handlers) {
      for (const handler of handlers) raw(ib).on(event, handler);
    }
  }

  #maybeReady(session: Session): void {
    if (session.ready || !session.gotNextValidId || session.accounts === undefined) return;
    session.ready = true;
    this.#connectTimer?.();
    this.#connectTimer = undefined;
    const accounts = session.accounts;
    const masked = accounts.map((a) => redactAccount(a)).join(",");
    const decision = checkAccountMode({
      mode: this.#settings.mode,
      liveConfirmed: this.#settings.liveConfirmed,
      port: this.#settings.port,
      accounts,
    });
    if (!decision.ok) {
      this.#patch({ account: masked });
      this.#fatal(`${decision.reason} (account ${masked})`);
      return;
    }
    this.#backoff.reset();
    const reconnect = session.seq > 1;
    this.#setState("connected", reconnect ? "reconnected" : "connected", {
      account: masked,
      serverVersion: session.ib.serverVersion,
    });
    this.#logger.info({ account: masked, serverVersion: session.ib.serverVersion, session: session.seq }, "TWS session ready");
    this.#scheduler.resume();
    this.#armProbe(session);
    void this.#restore(session, reconnect);
  }

  /** Re-sends what TWS forgets with a new socket, then tells the data layer. */
  async #restore(session: Session, reconnect: boolean): Promise<void> {
    const resent = ["reqMarketDataType", "reqOpenOrders", "reqPositions"];
    try {
      await Promise.all([
        this.#submit(session, "control", (ib) => ib.reqMarketDataType(this.#settings.marketDataType)),
        this.#submit(session, "control", (ib) => ib.reqOpenOrders()),
        this.#submit(session, "control", (ib) => ib.reqPositions()),
      ]);
    } catch (error) {
      this.#logger.warn({ err: error, session: session.seq }, "restoring the TWS session failed; the session is gone");
      return;
    }
    if (this.#session !== session) return;
    this.#events.emit("restored", { session: session.seq, reconnect, resent, resubscribe: reconnect });
    if (reconnect) this.#events.emit("resubscribeRequired", { cause: "reconnect", session: session.seq });
  }

  #submit(session: Session | undefined, priority: Priority, call: (ib: IBApi) => unknown, options?: SubmitOptions): Promise<void> {
    return this.#scheduler.submit(
      priority,
      () => {
        // Queued calls of a session that ended must not go to the next one.
        if (session === undefined || this.#session !== session || !session.ready || session.closing) {
          throw unavailable("TWS session ended before the call was sent");
        }
        call(session.ib);
      },
      options,
    );
  }

  // ---- TWS messages ---------------------------------------------------------------------

  #onTwsMessage(session: Session, code: number, reqId: number, message: string): void {
    const record: TwsErrorRecord = { code, reqId, message, at: this.#clock.now() };
    this.#errors.delete(code);
    this.#errors.set(code, record);
    if (this.#errors.size > MAX_ERROR_RECORDS) {
      const oldest = this.#errors.keys().next().value;
      if (oldest !== undefined) this.#errors.delete(oldest);
    }
    this.#metrics?.twsError(code);
    const farm = farmNotice(code);
    const level = farm?.state === "ok" || code === 1102 ? "info" : code === 326 ? "error" : "warn";
    this.#logger[level]({ code, reqId, twsMessage: message }, "TWS error/notice");
    const lastErrors = [...this.#errors.values()].reverse();

    if (farm !== undefined) {
      this.#patch({ lastErrors, farms: { ...this.#status.farms, [farm.farm]: farm.state } });
      return;
    }
    if (CONNECTIVITY_LOST.has(code)) {
      this.#setState("degraded", `TWS lost connectivity to IB (${code}): market data paused, orders refused`, { lastErrors });
      return;
    }
    switch (code) {
      case 100:
        this.#patch({ lastErrors });
        this.#scheduler.onPacingViolation();
        return;
      case 326:
        session.failure = "clientIdInUse";
        this.#setState(
          this.#status.state,
          `client id ${this.#settings.clientId} is already in use by another session (326); retrying with backoff, the id is never changed`,
          { lastErrors },
        );
        return;
      case 502:
        if (!session.ready) session.failure ??= "connectFailed";
        this.#patch({ lastErrors });
        return;
      case 1101:
        // TWS sends 1101 once after a 1100; a repeat right after (the simulator sends each
        // connectivity notice twice) must not trigger a second resubscription wave.
        if (this.#status.state !== "degraded" && this.#clock.now() - this.#last1101At < DUPLICATE_NOTICE_MS) {
          this.#patch({ lastErrors });
          return;
        }
        this.#last1101At = this.#clock.now();
        this.#setState("connected", "connectivity restored, market data lost (1101): resubscribing", { lastErrors });
        void this.#submit(session, "control", (ib) => ib.reqMarketDataType(this.#settings.marketDataType)).catch((error: unknown) => {
          this.#logger.warn({ err: error }, "re-sending reqMarketDataType after 1101 failed");
        });
        this.#events.emit("resubscribeRequired", { cause: "dataLost", session: session.seq });
        return;
      case 1102:
        this.#setState("connected", "connectivity restored, market data kept (1102)", { lastErrors });
        return;
      case 1300:
        this.#patch({ lastErrors });
        this.#lose(session, "portReset", "TWS reset its socket port (1300)");
        return;
      case 10197:
        this.#patch({ lastErrors, competingSession: true });
        return;
      default:
        this.#patch({ lastErrors });
    }
  }

  // ---- watchdog -------------------------------------------------------------------------

  #armProbe(session: Session): void {
    this.#probeTimer?.();
    this.#probeTimer = this.#clock.setTimer(this.#settings.probeIntervalMs, () => {
      this.#probeTimer = undefined;
      if (this.#session !== session || session.closing) return;
      this.#probe(session);
    });
  }

  #probe(session: Session): void {
    const probe: { readonly seq: number; cancel: CancelTimer | undefined } = { seq: ++this.#probeSeq, cancel: undefined };
    session.probe = probe;
    this.#submit(session, "control", (ib) => ib.reqCurrentTime()).then(
      () => {
        // The timeout runs from when the probe actually left, not from when it was queued.
        if (session.probe !== probe) return;
        probe.cancel = this.#clock.setTimer(this.#settings.probeTimeoutMs, () => {
          if (session.probe !== probe || this.#session !== session) return;
          this.#logger.warn({ timeoutMs: this.#settings.probeTimeoutMs }, "TWS watchdog: no currentTime answer; treating the socket as dead");
          this.#lose(session, "probeTimeout", `no answer to reqCurrentTime within ${this.#settings.probeTimeoutMs} ms`);
        });
      },
      () => undefined,
    );
  }

  #onProbeAnswer(session: Session): void {
    const probe = session.probe;
    if (probe === undefined) return;
    probe.cancel?.();
    session.probe = undefined;
    this.#armProbe(session);
  }

  // ---- losing the session ---------------------------------------------------------------

  /** The session is gone (or must go): close it, and reconnect after a backoff while running. */
  #lose(session: Session, cause: ReconnectCause, detail: string): void {
    if (this.#session !== session) return;
    this.#closeSession(detail);
    if (!this.#running) return;
    const delay = this.#backoff.next();
    const reconnects = { ...this.#status.reconnects, [cause]: (this.#status.reconnects[cause] ?? 0) + 1 };
    this.#metrics?.reconnect(cause);
    const clash = cause === "clientIdInUse" ? this.#status.reason : undefined;
    const reason = clash ?? `${cause}: ${detail}; reconnecting in ${delay} ms`;
    this.#logger.warn({ cause, detail, delayMs: delay, attempt: this.#backoff.attempt }, "TWS session lost; reconnecting");
    this.#setState("disconnected", reason, { reconnects, nextAttemptAt: this.#clock.now() + delay });
    this.#reconnectTimer = this.#clock.setTimer(delay, () => {
      this.#connect();
    });
  }

  /** Closes the current session's socket and fails what was queued for it. */
  #closeSession(detail: string): void {
    const session = this.#session;
    this.#cancelTimers();
    if (session === undefined) return;
    this.#session = undefined;
    session.closing = true;
    session.probe?.cancel?.();
    this.#scheduler.pause();
    this.#scheduler.clear(unavailable(`TWS session closed (${detail})`));
    session.ib.disconnect();
    session.ib.removeAllListeners();
    // eventemitter3 ignores unhandled `error`, but keep a sink so a late socket error is never thrown.
    session.ib.on(EventName.error, () => undefined);
  }

  #fatal(reason: string): void {
    this.#running = false;
    this.#closeSession(reason);
    this.#windowTimer?.();
    this.#windowTimer = undefined;
    this.#logger.error({ reason }, "TWS connection refused (fatal)");
    this.#setState("fatal", reason, { nextAttemptAt: undefined });
  }

  #cancelTimers(): void {
    this.#reconnectTimer?.();
    this.#reconnectTimer = undefined;
    this.#connectTimer?.();
    this.#connectTimer = undefined;
    this.#probeTimer?.();
    this.#probeTimer = undefined;
  }

  // ---- restart window -------------------------------------------------------------------

  /** Arms the next restart window; true when it has already begun (the caller must not connect). */
  #armRestartWindow(): boolean {
    const spec = this.#settings.restartWindow;
    if (spec === undefined || !this.#running) return false;
    const now = this.#clock.now();
    const window = restartWindowAt(now, spec);
    this.#window = window;
    this.#patch({ restartWindow: { startMs: window.startMs, endMs: window.endMs } });
    const disconnectAt = window.startMs - spec.leadMs;
    if (now >= disconnectAt) {
      this.#enterWindow(window);
      return true;
    }
    this.#windowTimer?.();
    this.#windowTimer = this.#clock.setTimer(disconnectAt - now, () => {
      this.#windowTimer = undefined;
      this.#enterWindow(window);
    });
    return false;
  }

  #enterWindow(window: RestartWindow): void {
    if (!this.#running) return;
    const until = new Date(window.endMs).toISOString();
    this.#logger.info({ startsAt: new Date(window.startMs).toISOString(), endsAt: until }, "TWS restart window: disconnecting until it ends");
    this.#metrics?.restartWindow("enter");
    this.#closeSession("daily restart window");
    this.#setState("restartWindow", `TWS daily restart window until ${until}`, { nextAttemptAt: window.endMs });
    this.#windowTimer?.();
    this.#windowTimer = this.#clock.setTimer(window.endMs - this.#clock.now(), () => {
      this.#windowTimer = undefined;
      this.#exitWindow();
    });
  }

  #exitWindow(): void {
    if (!this.#running) return;
    this.#logger.info("TWS restart window over: reconnecting");
    this.#metrics?.restartWindow("exit");
    this.#backoff.reset();
    const reconnects = { ...this.#status.reconnects, restartWindow: (this.#status.reconnects.restartWindow ?? 0) + 1 };
    this.#metrics?.reconnect("restartWindow");
    this.#patch({ reconnects });
    if (this.#armRestartWindow()) return;
    this.#connect();
  }

  // ---- status ---------------------------------------------------------------------------

  #setState(state: ConnectionState, reason: string, changes: Partial<Omit<ConnectionStatus, "state" | "reason">> = {}): void {
    const previous = this.#status.state;
    const since = previous === state ? this.#status.since : this.#clock.now();
    this.#publish({ ...this.#status, ...changes, state, reason, since });
    if (previous !== state) {
      this.#metrics?.state(state);
      this.#logger.info({ from: previous, to: state, reason }, "TWS connection state");
    }
  }

  #patch(changes: Partial<Omit<ConnectionStatus, "state" | "since">>): void {
    this.#publish({ ...this.#status, ...changes });
  }

  #publish(status: ConnectionStatus): void {
    this.#status = status;
    this.#events.emit("status", status);
  }
}
