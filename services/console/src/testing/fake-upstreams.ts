// Test-only: tiny real Connect servers standing in for the gateway, strategy and execution
// services, implementing just what the console's tests call, and recording every call.
import type { ServiceImpl } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import type { StreamSpreadEventsResponse } from "@spreadops/api";
import { ConnectionState, ExecutionService, GatewayService, StrategyService, TradingMode } from "@spreadops/api";
import type { ConnectServer } from "@spreadops/runtime";
import { buildServer, createLogger } from "@spreadops/runtime";
import { Subscription } from "../subscription.js";

/** One fake service on a real port, with the names of the methods called on it. */
export interface FakeUpstream {
  readonly url: string;
  readonly calls: string[];
  close(): Promise<void>;
}

async function serve(routes: Parameters<typeof buildServer>[0]["routes"], calls: string[]): Promise<FakeUpstream> {
  const server: ConnectServer = buildServer({ routes, logger: createLogger({ service: "fake", level: "silent" }) });
  const address = await server.listen(0, "127.0.0.1");
  return { url: address.url, calls, close: () => server.close({ drainTimeoutMs: 100, abortGraceMs: 100 }) };
}

/** The gateway: connection status (unary and a stream that stays open), pacing, and PlaceOrder to prove it is never reached. */
export class FakeGateway {
  readonly calls: string[] = [];
  /** Resolves when an open WatchConnectionStatus was cancelled by its caller. */
  watchCancelled: Promise<void>;
  #cancelled!: () => void;

  constructor() {
    this.watchCancelled = new Promise((resolve) => {
      this.#cancelled = resolve;
    });
  }

  impl(): Partial<ServiceImpl<typeof GatewayService>> {
    const calls = this.calls;
    const cancelled = (): void => {
      this.#cancelled();
    };
    return {
      getConnectionStatus: () => {
        this.calls.push("GetConnectionStatus");
        return { status: { state: ConnectionState.CONNECTED, leader: true, serverVersion: 176, accountMasked: "DU****567", mode: TradingMode.PAPER } };
      },
      watchConnectionStatus: async function* (_request, context) {
        calls.push("WatchConnectionStatus");
        yield { status: { state: ConnectionState.CONNECTED, leader: true } };
        await new Promise<void>((resolve) => {
          context.signal.addEventListener("abort", () => { resolve(); }, { once: true });
        });
        cancelled();
      },
      getPacingStats: () => {
        this.calls.push("GetPacingStats");
        return {};
      },
      placeOrder: () => {
        this.calls.push("PlaceOrder");
        return {};
      },
      cancelOrder: () => {
        this.calls.push("CancelOrder");
        return {};
      },
    };
  }

  start(): Promise<FakeUpstream> {
    return serve((router) => router.service(GatewayService, this.impl()), this.calls);
  }
}

/** The strategy service: ValidateStrategy finds "NOPE" an unknown symbol; Evaluate is recorded. */
export class FakeStrategy {
  readonly calls: string[] = [];

  start(): Promise<FakeUpstream> {
    return serve((router) => router.service(StrategyService, {
      validateStrategy: (request) => {
        this.calls.push("ValidateStrategy");
        const symbols = request.spec?.universe?.symbols ?? [];
        const bad = symbols.indexOf("NOPE");
        return bad < 0 ? { valid: true } : { valid: false, violations: [{ field: `spec.universe.symbols[${bad}]`, message: "NOPE is not a known symbol" }] };
      },
      evaluate: () => {
        this.calls.push("Evaluate");
        return {};
      },
    }), this.calls);
  }
}

/** The execution service: spreads (GetSpread answers NotFound), order events the test pushes, and the mutating calls recorded. */
export class FakeExecution {
  readonly calls: string[] = [];
  readonly #streams = new Set<Subscription<StreamSpreadEventsResponse>>();

  /** Open StreamSpreadEvents calls. */
  get streams(): number {
    return this.#streams.size;
  }

  /** Sends an event to every open StreamSpreadEvents call. */
  push(event: StreamSpreadEventsResponse): void {
    for (const stream of this.#streams) stream.push(event);
  }

  start(): Promise<FakeUpstream> {
    const streams = this.#streams;
    const calls = this.calls;
    return serve((router) => router.service(ExecutionService, {
      listSpreads: () => {
        calls.push("ListSpreads");
        return { orders: [{ tradeId: "uid-1", strategyRef: "default/spy" }] };
      },
      getSpread: (request) => {
        calls.push("GetSpread");
        throw new ConnectError(`spread ${request.tradeId} not found`, Code.NotFound);
      },
      streamSpreadEvents: async function* (_request, context) {
        calls.push("StreamSpreadEvents");
        const stream: Subscription<StreamSpreadEventsResponse> = new Subscription({ signal: context.signal, onClose: () => streams.delete(stream) });
        streams.add(stream);
        yield* stream;
      },
      placeSpread: () => {
        calls.push("PlaceSpread");
        return {};
      },
      cancelSpread: () => {
        calls.push("CancelSpread");
        return {};
      },
      closeSpread: () => {
        calls.push("CloseSpread");
        return {};
      },
    }), this.calls);
  }
}
