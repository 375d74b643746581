import type { JsonObject } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { KubeObject, ResourceStore, StrategyResource, TradeResource } from "@spreadops/resources";
import { API_VERSION, STRATEGY, TRADE, isStoreError } from "@spreadops/resources";
import { failedPrecondition, invalidArgument } from "@spreadops/runtime";
import { invalidFields, storeFailure } from "./store-errors.js";
import { nameViolations } from "./strategy-check.js";

/** Phases in which a Trade can still be approved or rejected (no phase: the controller has not looked yet). */
const DECIDABLE_PHASES = new Set<string | undefined>([undefined, "Proposed", "Previewed"]);
/** Phases in which a Trade holds a position that can be closed. */
const CLOSABLE_PHASES = new Set<string | undefined>(["Open", "PartiallyFilled"]);

/** Options for {@link ResourceActions}. */
export interface ResourceActionsOptions {
  readonly store: Pick<ResourceStore, "get" | "create" | "replace" | "patch">;
  readonly namespace: string;
}

function checkName(kind: "Strategy" | "Trade", name: string): void {
  const violations = nameViolations(name);
  if (violations.length > 0) throw invalidFields(`${kind.toLowerCase()} name ${JSON.stringify(name)}`, violations);
}

function requireVersion(resourceVersion: string): void {
  if (resourceVersion === "") throw invalidArgument("resource_version", "the version of the trade you are looking at", resourceVersion);
}

/**
 * The console's writes to the store, each guarded the way a trader expects: a Strategy edit
 * replaces the spec only at the version it started from; a Trade is approved or rejected only
 * in a phase that allows it and only at the exact version (and preview) the trader saw; a close
 * only for a Trade that holds a position. Only spec fields are written; the controller turns
 * them into orders as it does for `kubectl patch`.
 */
export class ResourceActions {
  readonly #store: ResourceActionsOptions["store"];
  readonly #namespace: string;

  constructor(options: ResourceActionsOptions) {
    this.#store = options.store;
    this.#namespace = options.namespace;
  }

  /**
   * Creates the Strategy (empty `resourceVersion`) or replaces its spec: at `generation` when
   * given (the spec is still the one the edit started from; status writes in between do not
   * count), else at exactly `resourceVersion`.
   */
  async saveStrategy(name: string, spec: JsonObject | undefined, resourceVersion: string, generation = 0): Promise<{ readonly strategy: StrategyResource; readonly created: boolean }> {
    checkName("Strategy", name);
    if (spec === undefined) throw invalidArgument("spec", "the Strategy's whole spec", spec);
    if (resourceVersion === "") {
      const object: StrategyResource = { apiVersion: API_VERSION, kind: STRATEGY.kind, metadata: { name, namespace: this.#namespace }, spec: spec as unknown as StrategyResource["spec"] };
      const strategy = await this.#write("Strategy", name, () => this.#store.create<StrategyResource>(STRATEGY, object));
      return { strategy, created: true };
    }
    const current = await this.#get<StrategyResource>("Strategy", name);
    const unchanged = generation > 0 ? current.metadata.generation === generation : current.metadata.resourceVersion === resourceVersion;
    if (!unchanged) throw this.#strategyChanged(name, current);
    // Written at the version just read: a spec change that lands in between is still a Conflict.
    const next: StrategyResource = { apiVersion: current.apiVersion, kind: current.kind, metadata: { ...current.metadata }, spec: spec as unknown as StrategyResource["spec"] };
    try {
      const strategy = await this.#store.replace<StrategyResource>(STRATEGY, next);
      return { strategy, created: false };
    } catch (error) {
      if (isStoreError(error, "Conflict")) throw this.#strategyChanged(name, await this.#get<StrategyResource>("Strategy", name));
      throw storeFailure(error, "Strategy", name);
    }
  }

  /** Sets `spec.paused` (a merge patch: nothing else changes). */
  async setStrategyPaused(name: string, paused: boolean): Promise<StrategyResource> {
    checkName("Strategy", name);
    return this.#write("Strategy", name, () => this.#store.patch<StrategyResource>(STRATEGY, this.#namespace, name, { spec: { paused } }));
  }

  /** Sets `spec.approved` on a Proposed or Previewed Trade with a preview, at exactly `resourceVersion`. */
  async approveTrade(name: string, resourceVersion: string): Promise<TradeResource> {
    const trade = await this.#decidable(name, resourceVersion, "approved");
    if (trade.status?.preview === undefined) {
      throw failedPrecondition(`trade ${JSON.stringify(name)} has no preview yet: wait for its what-if margin and commission, then approve what you see`);
    }
    return this.#patchAt(name, resourceVersion, { spec: { approved: true } });
  }

  /** Sets `spec.rejected` on a Proposed or Previewed Trade, at exactly `resourceVersion`. */
  async rejectTrade(name: string, resourceVersion: string): Promise<TradeResource> {
    await this.#decidable(name, resourceVersion, "rejected");
    return this.#patchAt(name, resourceVersion, { spec: { rejected: true } });
  }

  /**
   * Sets `spec.close` on an Open or PartiallyFilled Trade. The version is required but not a
   * precondition of the write: an open position's status changes every minute (P&L, exit
   * checks), and a close must not fail on that; the phase, read fresh, is what decides.
   */
  async closeTrade(name: string, resourceVersion: string): Promise<TradeResource> {
    checkName("Trade", name);
    requireVersion(resourceVersion);
    const trade = await this.#get<TradeResource>("Trade", name);
    const phase = trade.status?.phase;
    if (!CLOSABLE_PHASES.has(phase)) {
      throw failedPrecondition(`trade ${JSON.stringify(name)} is ${phase ?? "not placed yet"}: only an Open or PartiallyFilled trade can be closed`);
    }
    if (trade.spec?.close === true) throw failedPrecondition(`a close of trade ${JSON.stringify(name)} was already requested`);
    return this.#write("Trade", name, () => this.#store.patch<TradeResource>(TRADE, this.#namespace, name, { spec: { close: true } }));
  }

  async #decidable(name: string, resourceVersion: string, verb: "approved" | "rejected"): Promise<TradeResource> {
    checkName("Trade", name);
    requireVersion(resourceVersion);
    const trade = await this.#get<TradeResource>("Trade", name);
    if (trade.metadata.resourceVersion !== resourceVersion) throw this.#tradeChanged(name, trade);
    const quoted = JSON.stringify(name);
    if (trade.spec?.approved === true) throw failedPrecondition(`trade ${quoted} is already approved`);
    if (trade.spec?.rejected === true) throw failedPrecondition(`trade ${quoted} is already rejected`);
    const phase = trade.status?.phase;
    if (!DECIDABLE_PHASES.has(phase)) throw failedPrecondition(`trade ${quoted} is ${phase ?? "unknown"}: only a Proposed or Previewed trade can be ${verb}`);
    return trade;
  }

  async #patchAt(name: string, resourceVersion: string, patch: Record<string, unknown>): Promise<TradeResource> {
    try {
      return await this.#store.patch<TradeResource>(TRADE, this.#namespace, name, patch, { resourceVersion });
    } catch (error) {
      if (isStoreError(error, "Conflict")) throw this.#tradeChanged(name, await this.#get<TradeResource>("Trade", name));
      throw storeFailure(error, "Trade", name);
    }
  }

  async #get<T extends KubeObject>(kind: "Strategy" | "Trade", name: string): Promise<T> {
    return this.#write(kind, name, () => this.#store.get<T>(kind === "Strategy" ? STRATEGY : TRADE, this.#namespace, name));
  }

  async #write<T>(kind: "Strategy" | "Trade", name: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw storeFailure(error, kind, name);
    }
  }

  #strategyChanged(name: string, current: KubeObject): ConnectError {
    return new ConnectError(
      `strategy ${JSON.stringify(name)} changed since you opened it (now version ${current.metadata.resourceVersion ?? "unknown"}); reload and re-apply your edit`,
      Code.Aborted,
    );
  }

  #tradeChanged(name: string, current: KubeObject): ConnectError {
    return new ConnectError(
      `trade ${JSON.stringify(name)} changed since you looked at it (now version ${current.metadata.resourceVersion ?? "unknown"}); reload and review it again`,
      Code.Aborted,
    );
  }
}
