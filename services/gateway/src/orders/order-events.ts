import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { StreamOrderEventsResponseSchema } from "@spreadops/api";
import type { StreamOrderEventsResponse } from "@spreadops/api";
import { resourceExhausted } from "@spreadops/runtime";
import type { MirrorEvent } from "./mirror-types.js";
import type { OrderMirror } from "./order-mirror.js";
import { toCommissionReport, toExecution, toIbError } from "./proto-mapping.js";

/** A mirror event as one StreamOrderEvents message. */
export function toStreamEvent(event: MirrorEvent, now: number): StreamOrderEventsResponse {
  const time = timestampFromMs(now);
  switch (event.kind) {
    case "status": {
      const o = event.order;
      return create(StreamOrderEventsResponseSchema, {
        orderId: o.orderId,
        orderRef: o.orderRef,
        time,
        event: {
          case: "status",
          value: {
            status: o.status,
            filledQuantity: o.filled,
            remainingQuantity: o.remaining,
            ...(o.avgFillPrice === undefined ? {} : { avgFillPrice: o.avgFillPrice }),
            ...(o.lastFillPrice === undefined ? {} : { lastFillPrice: o.lastFillPrice }),
            whyHeld: o.whyHeld,
          },
        },
      });
    }
    case "execution":
      return create(StreamOrderEventsResponseSchema, {
        orderId: event.order?.orderId ?? 0,
        orderRef: event.order?.orderRef ?? event.execution.orderRef,
        time,
        event: { case: "execution", value: toExecution(event.execution) },
      });
    case "commission":
      return create(StreamOrderEventsResponseSchema, {
        orderId: event.order?.orderId ?? 0,
        orderRef: event.order?.orderRef ?? event.execution.orderRef,
        time,
        event: { case: "commission", value: { execId: event.execution.execId, report: toCommissionReport(event.execution.commission ?? {}) } },
      });
    case "error":
      return create(StreamOrderEventsResponseSchema, {
        orderId: event.order.orderId,
        orderRef: event.order.orderRef,
        time,
        event: { case: "error", value: toIbError(event.error) },
      });
  }
}

/**
 * The mirror's events as an async stream, only those of `orderRefs` (all when empty), until
 * `signal` aborts. A reader that falls `maxBacklog` events behind gets ResourceExhausted rather
 * than unbounded memory.
 */
export async function* streamOrderEvents(
  mirror: OrderMirror,
  orderRefs: readonly string[],
  now: () => number,
  signal: AbortSignal,
  maxBacklog = 10_000,
): AsyncGenerator<StreamOrderEventsResponse, void, undefined> {
  const refs = new Set(orderRefs);
  const queue: StreamOrderEventsResponse[] = [];
  const state = { overflow: false };
  let wake: (() => void) | undefined;
  const off = mirror.subscribe((event) => {
    const message = toStreamEvent(event, now());
    if (refs.size > 0 && !refs.has(message.orderRef)) return;
    if (queue.length >= maxBacklog) state.overflow = true;
    else queue.push(message);
    wake?.();
  });
  const onAbort = (): void => wake?.();
  signal.addEventListener("abort", onAbort);
  try {
    while (!signal.aborted) {
      const next = queue.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (state.overflow) throw resourceExhausted(`order event stream fell more than ${maxBacklog} events behind`);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    off();
    signal.removeEventListener("abort", onAbort);
  }
}
