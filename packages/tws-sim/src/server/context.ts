/**
 * What request handlers see of the simulator: the current market and broker, the account-wide
 * limits, the link state and the other sessions. Implemented by the server.
 */
import type { Logger } from "@spreadops/runtime";
import type { Broker } from "../broker/index.js";
import type { MarketSource } from "../market/index.js";
import type { Farm } from "./control.js";
import type { HistoricalPacing, LineBudget } from "./limits-ports.js";
import type { Session } from "./session.js";
import type { StatsCounters } from "./stats.js";

/** Server settings handlers read. */
export interface HandlerSettings {
  /** The one managed account, e.g. `DU1234567`. */
  readonly account: string;
  /** Minimum wall-clock interval between two updates of one market-data line. */
  readonly minTickIntervalMs: number;
}

/** "TWS ↔ IB" link and data farms, as faults set them. */
export interface LinkState {
  connected: boolean;
  readonly farms: Map<Farm, boolean>;
}

/** The simulator as a handler uses it. */
export interface HandlerContext {
  readonly market: MarketSource;
  readonly broker: Broker;
  readonly settings: HandlerSettings;
  readonly logger: Logger;
  readonly lines: LineBudget;
  readonly pacer: HistoricalPacing;
  readonly stats: StatsCounters;
  readonly link: LinkState;
  /** Wall-clock ms (limits and streaming intervals). */
  wallNow(): number;
  /** Every started session. */
  sessions(): Iterable<Session>;
  /** The reason of the next injected order rejection, consuming it (fault injection). */
  takeRejection(): string | undefined;
}
