import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { StreamSpreadEventsResponse } from "@spreadops/api";
import { useCallback, useState } from "react";
import { useClients } from "../../api/context";
import { useLiveStream, type LiveStreamHandle } from "../../api/use-live-stream";
import type { ExecutionQuote } from "./trade-model";

export interface ExecutionQuotes {
  /** By the execution service's trade id (the Trade's uid = status.orderRef). */
  readonly quotes: ReadonlyMap<string, ExecutionQuote>;
  readonly stream: LiveStreamHandle;
}

/**
 * One ExecutionService.StreamSpreadEvents stream (current state of every working spread first,
 * then each event) keeping the latest P&L, mid and multiplier per trade id. What is held stays
 * on a reconnect (marked stale by the stream's state) and is overwritten by the new initial state.
 */
export function useExecutionQuotes(): ExecutionQuotes {
  const clients = useClients();
  const [quotes, setQuotes] = useState<ReadonlyMap<string, ExecutionQuote>>(new Map());
  // Live once the headers arrive: with no working spread the service has nothing to send.
  const open = useCallback((signal: AbortSignal, opened: () => void) => clients.execution.streamSpreadEvents({ sendInitialState: true }, { signal, onHeader: opened }), [clients]);
  const onMessage = useCallback((message: StreamSpreadEventsResponse) => {
    const order = message.order;
    if (order === undefined) return;
    const id = message.tradeId !== "" ? message.tradeId : order.tradeId;
    if (id === "") return;
    const quote: ExecutionQuote = {
      unrealizedPnlUsd: order.unrealizedPnlUsd,
      realizedPnlUsd: order.realizedPnlUsd,
      currentMid: order.currentMid,
      multiplier: order.multiplier > 0 ? order.multiplier : undefined,
      at: message.time === undefined ? Date.now() : timestampMs(message.time),
    };
    setQuotes((current) => new Map(current).set(id, quote));
  }, []);
  const stream = useLiveStream("execution", "spread-events", open, onMessage);
  return { quotes, stream };
}
