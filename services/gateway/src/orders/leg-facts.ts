import { EventName } from "@stoqey/ib";
import type { ContractDetails } from "@stoqey/ib";
import { failedPrecondition, unavailable } from "@spreadops/runtime";
import type { Clock } from "../scheduler/clock.js";
import type { LegFacts } from "./combo-sign.js";
import { secTypeText } from "./ib-values.js";
import type { OrderConnection } from "./wait-event.js";
import { waitForEvent } from "./wait-event.js";

/** Describes combo legs by conId (right, strike, expiry), for the limit-sign check. */
export interface LegFactsSource {
  /**
   * @throws ConnectError `failed_precondition` for an unknown conId, `unavailable` when TWS did
   *   not answer: either way the order is not sent.
   */
  describe(conId: number): Promise<LegFacts>;
}

function rightOf(text: string | undefined): "C" | "P" | undefined {
  const t = text?.toUpperCase();
  if (t === "C" || t === "CALL") return "C";
  if (t === "P" || t === "PUT") return "P";
  return undefined;
}

/**
 * {@link LegFactsSource} over reqContractDetails. A contract's right, strike and expiry never
 * change, so answers are cached for the life of the instance.
 */
export class TwsLegFacts implements LegFactsSource {
  readonly #connection: OrderConnection;
  readonly #clock: Pick<Clock, "setTimer">;
  readonly #timeoutMs: number;
  readonly #cache = new Map<number, Promise<LegFacts>>();

  constructor(deps: { readonly connection: OrderConnection; readonly clock: Pick<Clock, "setTimer">; readonly timeoutMs: number }) {
    this.#connection = deps.connection;
    this.#clock = deps.clock;
    this.#timeoutMs = deps.timeoutMs;
  }

  describe(conId: number): Promise<LegFacts> {
    let entry = this.#cache.get(conId);
    if (entry === undefined) {
      entry = this.#fetch(conId);
      // Failures are not cached: the next order asks again.
      entry.catch(() => this.#cache.delete(conId));
      this.#cache.set(conId, entry);
    }
    return entry;
  }

  async #fetch(conId: number): Promise<LegFacts> {
    const connection = this.#connection;
    const reqId = connection.nextRequestId();
    const found: ContractDetails[] = [];
    let error: string | undefined;
    let onError: () => void = () => undefined;
    const errorSeen = new Promise<void>((resolve) => {
      onError = resolve;
    });
    const local = new AbortController();
    connection.on(EventName.contractDetails, (id, details) => {
      if (id === reqId) found.push(details);
    }, local.signal);
    connection.on(EventName.error, (e, code, id) => {
      if (id !== reqId) return;
      // IB answers an unknown contract with error 200 and no end message.
      error = `IB ${code}: ${e.message}`;
      onError();
    }, local.signal);
    const end = waitForEvent(
      connection,
      this.#clock,
      EventName.contractDetailsEnd,
      (id) => id === reqId,
      this.#timeoutMs,
      () => connection.send("order", (ib) => ib.reqContractDetails(reqId, { conId })),
      local.signal,
    );
    end.catch(() => undefined);
    try {
      await Promise.race([end, errorSeen]);
    } catch (e) {
      throw unavailable(`could not describe combo leg ${conId}: ${e instanceof Error ? e.message : String(e)}`, e);
    } finally {
      local.abort();
    }
    const contract = found[0]?.contract;
    if (contract === undefined) throw failedPrecondition(`combo leg conId ${conId} is unknown to IB${error === undefined ? "" : ` (${error})`}`);
    return {
      conId,
      secType: secTypeText(contract),
      right: rightOf(contract.right),
      strike: contract.strike,
      expiry: contract.lastTradeDateOrContractMonth ?? "",
      symbol: contract.symbol ?? "",
    };
  }
}
