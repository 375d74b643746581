import { create } from "@bufbuild/protobuf";
import type { JsonObject } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import type {
  ApproveTradeRequest, ApproveTradeResponse, CheckStrategyRequest, CheckStrategyResponse, CloseTradeRequest, CloseTradeResponse, ConsoleService,
  GetConsoleInfoResponse, ListObjectEventsRequest, ListObjectEventsResponse, RejectTradeRequest, RejectTradeResponse, SaveStrategyRequest,
  SaveStrategyResponse, SetStrategyPausedRequest, SetStrategyPausedResponse, WatchActivityResponse, WatchResourcesResponse,
} from "@spreadops/api";
import {
  ApproveTradeResponseSchema, CheckStrategyResponseSchema, CloseTradeResponseSchema, GetConsoleInfoResponseSchema, ListObjectEventsResponseSchema,
  RejectTradeResponseSchema, SaveStrategyResponseSchema, SetStrategyPausedResponseSchema, StoreKind, WatchActivityResponseSchema,
} from "@spreadops/api";
import type { KubeObject, ResourceStore } from "@spreadops/resources";
import { invalidArgument } from "@spreadops/runtime";
import type { ActivityFeed } from "./activity-feed.js";
import type { AuditEvent, AuditTarget, AuditTrail } from "./audit-trail.js";
import type { ConsoleMetrics } from "./console-metrics.js";
import type { Caller, MutationGuard } from "./mutation-guard.js";
import type { ResourceActions } from "./resource-actions.js";
import type { ResourceCache } from "./resource-cache.js";
import { storeFailure } from "./store-errors.js";
import type { StrategyChecker } from "./strategy-check.js";

/** Longest reason text kept from RejectTrade. */
const MAX_REASON_LENGTH = 500;

/** What GetConsoleInfo reports. */
export interface ConsoleInfo {
  readonly version: string;
  readonly namespace: string;
  readonly store: "embedded" | "kubernetes";
  readonly startedAtMs: number;
  /** The platform's clock (market time in the all-in-one outside market hours). */
  readonly now: () => number;
}

/** The collaborators of {@link ConsoleServiceImpl}. */
export interface ConsoleServiceDeps {
  readonly info: ConsoleInfo;
  readonly store: Pick<ResourceStore, "listEvents">;
  readonly cache: Pick<ResourceCache, "subscribe">;
  readonly activity: Pick<ActivityFeed, "subscribe">;
  readonly checker: Pick<StrategyChecker, "check">;
  readonly actions: ResourceActions;
  readonly guard: MutationGuard;
  readonly audit: Pick<AuditTrail, "record">;
  readonly metrics: Pick<ConsoleMetrics, "mutation" | "streamOpened">;
}

/** What a successful mutation hands back: the response, the object (for the Event's uid) and its Event. */
interface Done<R> {
  readonly response: R;
  readonly object: KubeObject;
  readonly event: (caller: Caller) => AuditEvent;
}

/** The object as a Struct value (plain JSON). */
function struct(object: KubeObject): JsonObject {
  return JSON.parse(JSON.stringify(object)) as JsonObject;
}

function cleanReason(reason: string): string {
  return reason.replace(/[\p{Cc}\p{Cf}]/gu, " ").trim().slice(0, MAX_REASON_LENGTH);
}

function by(caller: Caller): string {
  return `by ${caller.actor} (${caller.remote}) in the console`;
}

/**
 * ConsoleService: reads from the console's shared cache and the store, and the five mutations,
 * each behind the {@link MutationGuard} and recorded by the {@link AuditTrail} whatever the
 * outcome (the token itself is never recorded).
 */
export class ConsoleServiceImpl implements ServiceImpl<typeof ConsoleService> {
  readonly #deps: ConsoleServiceDeps;

  constructor(deps: ConsoleServiceDeps) {
    this.#deps = deps;
  }

  getConsoleInfo(): GetConsoleInfoResponse {
    const { info, guard } = this.#deps;
    return create(GetConsoleInfoResponseSchema, {
      version: info.version,
      namespace: info.namespace,
      store: info.store === "embedded" ? StoreKind.EMBEDDED : StoreKind.KUBERNETES,
      mutationsEnabled: guard.mutationsEnabled,
      startedAt: timestampFromMs(info.startedAtMs),
      platformTime: timestampFromMs(info.now()),
    });
  }

  async *watchResources(_request: unknown, context: HandlerContext): AsyncGenerator<WatchResourcesResponse> {
    const stream = this.#deps.cache.subscribe(context.signal);
    const closed = this.#deps.metrics.streamOpened("WatchResources");
    try {
      yield* stream;
    } finally {
      closed();
    }
  }

  async listObjectEvents(request: ListObjectEventsRequest): Promise<ListObjectEventsResponse> {
    if (request.kind !== "Strategy" && request.kind !== "Trade") throw invalidArgument("kind", '"Strategy" or "Trade"', request.kind);
    if (request.name === "") throw invalidArgument("name", "the object's name", request.name);
    let events;
    try {
      events = await this.#deps.store.listEvents(this.#deps.info.namespace, { kind: request.kind, name: request.name });
    } catch (error) {
      throw storeFailure(error, request.kind, request.name);
    }
    return create(ListObjectEventsResponseSchema, {
      events: events.map((event) => ({
        type: event.type,
        reason: event.reason,
        message: event.message,
        component: event.component,
        count: event.count,
        firstTime: timestampFromMs(Date.parse(event.firstTimestamp)),
        lastTime: timestampFromMs(Date.parse(event.lastTimestamp)),
      })),
    });
  }

  async checkStrategy(request: CheckStrategyRequest, context: HandlerContext): Promise<CheckStrategyResponse> {
    const result = await this.#deps.checker.check(request.name, request.spec, context.signal);
    return create(CheckStrategyResponseSchema, { valid: result.valid, violations: [...result.violations] });
  }

  saveStrategy(request: SaveStrategyRequest, context: HandlerContext): Promise<SaveStrategyResponse> {
    return this.#mutate(context, "SaveStrategy", { kind: "Strategy", name: request.name }, async () => {
      const { strategy, created } = await this.#deps.actions.saveStrategy(request.name, request.spec, request.resourceVersion, Number(request.generation));
      return {
        response: create(SaveStrategyResponseSchema, { strategy: struct(strategy) }),
        object: strategy,
        event: (caller) => ({ reason: created ? "StrategyCreated" : "StrategySaved", message: `${created ? "created" : "spec saved"} ${by(caller)}` }),
      };
    });
  }

  setStrategyPaused(request: SetStrategyPausedRequest, context: HandlerContext): Promise<SetStrategyPausedResponse> {
    return this.#mutate(context, "SetStrategyPaused", { kind: "Strategy", name: request.name }, async () => {
      const strategy = await this.#deps.actions.setStrategyPaused(request.name, request.paused);
      return {
        response: create(SetStrategyPausedResponseSchema, { strategy: struct(strategy) }),
        object: strategy,
        event: (caller) => ({ reason: request.paused ? "StrategyPaused" : "StrategyResumed", message: `${request.paused ? "paused" : "resumed"} ${by(caller)}` }),
      };
    });
  }

  approveTrade(request: ApproveTradeRequest, context: HandlerContext): Promise<ApproveTradeResponse> {
    return this.#mutate(context, "ApproveTrade", { kind: "Trade", name: request.name }, async () => {
      const trade = await this.#deps.actions.approveTrade(request.name, request.resourceVersion);
      return {
        response: create(ApproveTradeResponseSchema, { trade: struct(trade) }),
        object: trade,
        event: (caller) => ({ reason: "ApprovedByUser", message: `approved ${by(caller)}` }),
      };
    });
  }

  rejectTrade(request: RejectTradeRequest, context: HandlerContext): Promise<RejectTradeResponse> {
    const reason = cleanReason(request.reason);
    return this.#mutate(context, "RejectTrade", { kind: "Trade", name: request.name }, async () => {
      const trade = await this.#deps.actions.rejectTrade(request.name, request.resourceVersion);
      return {
        response: create(RejectTradeResponseSchema, { trade: struct(trade) }),
        object: trade,
        event: (caller) => ({ reason: "RejectedByUser", message: `rejected ${by(caller)}${reason === "" ? "" : `: ${reason}`}` }),
      };
    }, reason);
  }

  closeTrade(request: CloseTradeRequest, context: HandlerContext): Promise<CloseTradeResponse> {
    return this.#mutate(context, "CloseTrade", { kind: "Trade", name: request.name }, async () => {
      const trade = await this.#deps.actions.closeTrade(request.name, request.resourceVersion);
      return {
        response: create(CloseTradeResponseSchema, { trade: struct(trade) }),
        object: trade,
        event: (caller) => ({ reason: "CloseRequested", message: `close requested ${by(caller)}` }),
      };
    });
  }

  async *watchActivity(_request: unknown, context: HandlerContext): AsyncGenerator<WatchActivityResponse> {
    const { recent, live } = this.#deps.activity.subscribe(context.signal);
    const closed = this.#deps.metrics.streamOpened("WatchActivity");
    try {
      for (const entry of recent) yield create(WatchActivityResponseSchema, { initial: true, entry });
      for await (const entry of live) yield create(WatchActivityResponseSchema, { initial: false, entry });
    } finally {
      live.end();
      closed();
    }
  }

  /**
   * One mutating call: the guard first (a refusal is audited as "denied: …" and counted), then
   * the action; its outcome is audited either way, and a success also leaves an Event.
   */
  async #mutate<R>(context: HandlerContext, action: string, target: AuditTarget, run: () => Promise<Done<R>>, reason?: string): Promise<R> {
    const { guard, audit, metrics } = this.#deps;
    const caller = guard.caller(context);
    const extra = reason === undefined || reason === "" ? {} : { reason };
    let tokenId: string;
    try {
      tokenId = guard.authorize(context);
    } catch (error) {
      const refusal = ConnectError.from(error);
      metrics.mutation(action, "denied");
      await audit.record({ ...caller, action, target, outcome: `denied: ${refusal.rawMessage}`, ...extra });
      throw refusal;
    }
    let done: Done<R>;
    try {
      done = await run();
    } catch (error) {
      metrics.mutation(action, "failed");
      const message = error instanceof ConnectError ? `${codeName(error)}: ${error.rawMessage}` : "internal error";
      await audit.record({ ...caller, action, target, outcome: `failed: ${message}`, tokenId, ...extra });
      throw error;
    }
    metrics.mutation(action, "ok");
    const uid = done.object.metadata.uid;
    await audit.record({ ...caller, action, target: { ...target, ...(uid === undefined ? {} : { uid }) }, outcome: "ok", tokenId, ...extra }, done.event(caller));
    return done.response;
  }
}

function codeName(error: ConnectError): string {
  return Code[error.code];
}
