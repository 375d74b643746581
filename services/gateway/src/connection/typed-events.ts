/** A minimal typed event emitter: `on` returns its own unsubscribe; a throwing listener is isolated. */
export class TypedEvents<M extends { [K in keyof M]: unknown }> {
  readonly #listeners = new Map<keyof M, Set<(value: never) => void>>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  /** Calls `listener` for every `event` until the returned function is called (or `signal` aborts). */
  on<K extends keyof M>(event: K, listener: (value: M[K]) => void, signal?: AbortSignal): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    const entry = listener as (value: never) => void;
    set.add(entry);
    const off = (): void => {
      set.delete(entry);
      signal?.removeEventListener("abort", off);
    };
    signal?.addEventListener("abort", off, { once: true });
    return off;
  }

  emit<K extends keyof M>(event: K, value: M[K]): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as (value: M[K]) => void)(value);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
