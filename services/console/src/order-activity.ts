import type { DescEnum } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { Client } from "@connectrpc/connect";
import type { ExecutionService, StreamSpreadEventsResponse } from "@spreadops/api";
import {
  ActivitySeverity, ActivitySource, ExitActionSchema, ExitReason, OptionRight, ExitReasonSchema, OptionRightSchema, OrderActionSchema, RollPhaseSchema, TradePhase,
} from "@spreadops/api";
import { tradePhaseFromProto } from "@spreadops/resources";
import type { Clock, Logger } from "@spreadops/runtime";
import { StreamFollower } from "@spreadops/runtime";
import type { ActivityInit } from "./activity-feed.js";
import type { UpstreamMonitor } from "./upstreams.js";

/** The phase as the Trade's status names it. */
const phaseName = (phase: TradePhase): string => tradePhaseFromProto(phase) ?? "Unknown";

/** "stop loss" for EXIT_REASON_STOP_LOSS: an enum value in words. */
function words(schema: DescEnum, value: number): string {
  const local = schema.value[value]?.localName;
  return local === undefined ? String(value) : local.toLowerCase().replace(/_/g, " ");
}

function price(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : String(value);
}

/**
 * The activity entry of one order event of the execution service (ORDER source), or undefined
 * for the initial-state messages, which are no news. `nameOf` turns the trade id (the Trade's
 * uid) into the Trade's name when the console knows it.
 */
export function orderActivity(event: StreamSpreadEventsResponse, nameOf: (tradeId: string) => string | undefined): ActivityInit | undefined {
  if (event.initial || event.event.case === undefined) return undefined;
  const base = {
    source: ActivitySource.ORDER,
    kind: "Trade",
    name: nameOf(event.tradeId) ?? event.tradeId,
    ...(event.time === undefined ? {} : { timeMs: timestampMs(event.time) }),
  };
  switch (event.event.case) {
    case "phaseChange": {
      const { from, to, reason } = event.event.value;
      const severity = to === TradePhase.REJECTED || to === TradePhase.CANCELLED ? ActivitySeverity.WARNING : ActivitySeverity.INFO;
      return { ...base, severity, reason: "OrderPhaseChanged", message: `order ${phaseName(from)} → ${phaseName(to)}${reason === "" ? "" : `: ${reason}`}` };
    }
    case "fill": {
      const fill = event.event.value;
      const right = fill.right === OptionRight.UNSPECIFIED ? "" : words(OptionRightSchema, fill.right);
      return { ...base, reason: "Filled", message: `filled ${words(OrderActionSchema, fill.action).toUpperCase()} ${fill.quantity} × ${fill.strike} ${right} at ${price(fill.price)}`.replace(/\s+/g, " ") };
    }
    case "walkStep": {
      const walk = event.event.value;
      if (walk.exhausted) {
        return { ...base, severity: ActivitySeverity.WARNING, reason: "WalkExhausted", message: `price walk used all ${walk.steps} steps (limit ${price(walk.currentPrice)}, natural ${price(walk.targetPrice)}); the rest was cancelled` };
      }
      return { ...base, reason: "PriceWalked", message: `price walk step ${walk.step}/${walk.steps}: limit ${price(walk.startPrice)} → ${price(walk.currentPrice)} (natural ${price(walk.targetPrice)})` };
    }
    case "brokerMessage": {
      const message = event.event.value;
      return {
        ...base,
        severity: message.warning ? ActivitySeverity.INFO : ActivitySeverity.WARNING,
        reason: "BrokerMessage",
        message: `IB ${message.code}: ${message.message}`,
      };
    }
    case "exitDecision": {
      const decision = event.event.value;
      const why = decision.reason === ExitReason.UNSPECIFIED ? "" : ` (${words(ExitReasonSchema, decision.reason)})`;
      return { ...base, reason: "ExitDecided", message: `exit: ${words(ExitActionSchema, decision.action)}${why}${decision.message === "" ? "" : `: ${decision.message}`}` };
    }
    case "roll": {
      const roll = event.event.value;
      return { ...base, reason: "RollProgress", message: `roll ${words(RollPhaseSchema, roll.phase)}${roll.message === "" ? "" : `: ${roll.message}`}` };
    }
    default:
      return undefined;
  }
}

/** Options for {@link OrderEventFollower}. */
export interface OrderEventFollowerOptions {
  readonly execution: Pick<Client<typeof ExecutionService>, "streamSpreadEvents">;
  readonly onEvent: (event: StreamSpreadEventsResponse) => void;
  readonly monitor: Pick<UpstreamMonitor, "reachable" | "observe">;
  readonly clock: Pick<Clock, "sleep">;
  readonly logger: Logger;
  /** Between reconnects; default 1 s doubling to 30 s. */
  readonly backoff?: { readonly baseDelayMs: number; readonly maxDelayMs: number };
}

/**
 * The console's one long-lived ExecutionService.StreamSpreadEvents call, feeding order events
 * (fills, walk steps, broker messages, phase changes) to the activity feed whether or not a
 * browser is watching, so the feed's recent entries are there when one opens. Reconnects with
 * backoff; never throws.
 */
export class OrderEventFollower {
  readonly #stream: StreamFollower<StreamSpreadEventsResponse>;

  constructor(options: OrderEventFollowerOptions) {
    const { execution, monitor, logger, onEvent } = options;
    this.#stream = new StreamFollower({
      open: (signal) => execution.streamSpreadEvents({}, { signal }),
      onMessage: (event) => {
        monitor.reachable("execution");
        try {
          onEvent(event);
        } catch (error) {
          logger.error({ err: error, tradeId: event.tradeId }, "order event handler failed");
        }
      },
      onFailure: (error) => {
        monitor.observe("execution", error);
        logger.debug({ err: error }, "order event stream failed: reconnecting");
      },
      clock: options.clock,
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
    });
  }

  start(): void {
    this.#stream.start();
  }

  stop(): Promise<void> {
    return this.#stream.stop();
  }
}
