import { ConnectionState, TradingMode } from "@spreadops/api";
import type { TradingModeName } from "@spreadops/resources";
import type { Clock } from "@spreadops/runtime";
import type { ConditionUpdate } from "./conditions.js";
import type { GatewayPort } from "./ports.js";
import { Reason, StrategyCondition } from "./reasons.js";

/** The gateway's session as the controller judges it. */
export interface BrokerView {
  /** The gateway answered. */
  readonly reachable: boolean;
  /** The TWS session is up and trading is possible. */
  readonly connected: boolean;
  readonly mode: TradingModeName | undefined;
  /** Plain-language state, e.g. "connected (paper, DU****567)". */
  readonly message: string;
}

const STATE_TEXT: Readonly<Record<ConnectionState, string>> = {
  [ConnectionState.UNSPECIFIED]: "state unknown",
  [ConnectionState.STANDBY]: "gateway replica is standby",
  [ConnectionState.DISCONNECTED]: "not connected to TWS",
  [ConnectionState.CONNECTING]: "connecting to TWS",
  [ConnectionState.CONNECTED]: "connected",
  [ConnectionState.BROKER_DISCONNECTED]: "TWS lost its connection to IB",
  [ConnectionState.RESTART_WINDOW]: "in TWS's daily restart window",
};

/**
 * The gateway's connection status, asked at most once per `ttlMs` however many Strategies
 * reconcile (1,000 Strategies must not mean 1,000 calls), with concurrent askers sharing one call.
 */
export class BrokerStatusCache {
  readonly #gateway: GatewayPort;
  readonly #clock: Pick<Clock, "now">;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;
  #cached: { at: number; view: BrokerView } | undefined;
  #inFlight: Promise<BrokerView> | undefined;

  constructor(gateway: GatewayPort, clock: Pick<Clock, "now">, options: { ttlMs?: number; timeoutMs?: number } = {}) {
    this.#gateway = gateway;
    this.#clock = clock;
    this.#ttlMs = options.ttlMs ?? 5_000;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
  }

  get(): Promise<BrokerView> {
    const cached = this.#cached;
    if (cached !== undefined && this.#clock.now() - cached.at < this.#ttlMs) return Promise.resolve(cached.view);
    this.#inFlight ??= this.#fetch().finally(() => { this.#inFlight = undefined; });
    return this.#inFlight;
  }

  async #fetch(): Promise<BrokerView> {
    let view: BrokerView;
    try {
      const { status } = await this.#gateway.getConnectionStatus({}, { timeoutMs: this.#timeoutMs });
      const state = status?.state ?? ConnectionState.UNSPECIFIED;
      const mode = status?.mode === TradingMode.LIVE ? "live" : status?.mode === TradingMode.PAPER ? "paper" : undefined;
      const connected = state === ConnectionState.CONNECTED;
      const account = status?.accountMasked ?? "";
      view = { reachable: true, connected, mode, message: connected ? `connected (${mode ?? "mode unknown"}${account === "" ? "" : `, ${account}`})` : STATE_TEXT[state] };
    } catch (error) {
      view = { reachable: false, connected: false, mode: undefined, message: `gateway unreachable: ${error instanceof Error ? error.message : String(error)}` };
    }
    this.#cached = { at: this.#clock.now(), view };
    return view;
  }
}

/** The BrokerConnected condition of a Strategy trading in `mode`. */
export function brokerCondition(view: BrokerView, mode: TradingModeName, generation: number | undefined): ConditionUpdate {
  const base = { type: StrategyCondition.BrokerConnected, observedGeneration: generation };
  if (!view.reachable) return { ...base, status: "Unknown", reason: Reason.GatewayUnreachable, message: view.message };
  if (!view.connected) return { ...base, status: "False", reason: Reason.Disconnected, message: view.message };
  if (view.mode !== undefined && view.mode !== mode) {
    return { ...base, status: "False", reason: Reason.ModeMismatch, message: `the gateway trades ${view.mode}, this strategy is ${mode}: its orders would be refused` };
  }
  return { ...base, status: "True", reason: Reason.Connected, message: view.message };
}
