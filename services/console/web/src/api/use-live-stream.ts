import { useEffect, useRef, useState } from "react";
import { useHealth } from "./health";
import { LiveStream, type StreamState } from "./live-stream";

export interface LiveStreamHandle extends StreamState {
  retryNow(): void;
}

/**
 * Keeps a server stream open while the component is mounted and reports its state to the
 * console's health banner under `source` ("gateway", "store", …). `open` gets the abort signal and
 * an `opened` callback to pass as the call's `onHeader`. `open` and `onMessage` may
 * change between renders; the latest ones are used without reopening. Changing `key` reopens.
 */
export function useLiveStream<T>(
  source: string,
  key: string,
  open: (signal: AbortSignal, opened: () => void) => AsyncIterable<T>,
  onMessage: (message: T) => void,
  onReconnect?: () => void,
): LiveStreamHandle {
  const health = useHealth();
  const latest = useRef({ open, onMessage, onReconnect });
  latest.current = { open, onMessage, onReconnect };
  const [state, setState] = useState<StreamState>({ status: "connecting", since: Date.now(), attempt: 0 });
  const streamRef = useRef<LiveStream<T> | undefined>(undefined);

  useEffect(() => {
    const id = `${source}:${key}:${Math.random().toString(36).slice(2)}`;
    const stream = new LiveStream<T>({
      open: (signal, opened) => latest.current.open(signal, opened),
      onMessage: (message) => { latest.current.onMessage(message); },
      onReconnect: () => latest.current.onReconnect?.(),
      onState: (next) => {
        setState(next);
        health.report(id, source, next);
      },
    });
    streamRef.current = stream;
    stream.start();
    return () => {
      stream.stop();
      health.forget(id);
    };
  }, [source, key, health]);

  return { ...state, retryNow: () => streamRef.current?.retryNow() };
}
