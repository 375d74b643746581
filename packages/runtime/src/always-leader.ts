import type { Leadership, LeadershipListener } from "./leadership.js";
import type { Logger } from "./logger.js";

/** Options for {@link AlwaysLeader}. */
export interface AlwaysLeaderOptions extends LeadershipListener {
  readonly identity: string;
  readonly logger?: Logger;
}

/**
 * Leadership without election, for `--leader-election off` and for running without a cluster
 * (one process, nobody to compete with): leader from `start()` until `stop()`.
 */
export class AlwaysLeader implements Leadership {
  readonly identity: string;
  readonly #listeners = new Set<LeadershipListener>();
  readonly #logger: Logger | undefined;
  #leading: AbortController | undefined;
  #started = false;

  constructor(options: AlwaysLeaderOptions) {
    this.identity = options.identity;
    this.#logger = options.logger;
    this.#listeners.add(options);
  }

  isLeader(): boolean {
    return this.#leading !== undefined;
  }

  currentLeader(): string | undefined {
    return this.#leading === undefined ? undefined : this.identity;
  }

  subscribe(listener: LeadershipListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    if (this.#started) throw new Error("AlwaysLeader: already started");
    this.#started = true;
    const controller = new AbortController();
    this.#leading = controller;
    this.#logger?.info({ identity: this.identity }, "leader election off: leading");
    for (const listener of [...this.#listeners]) {
      listener.onNewLeader?.(this.identity);
      void Promise.resolve()
        .then(() => listener.onStartedLeading?.(controller.signal))
        .catch((error: unknown) => {
          this.#logger?.error({ err: error }, "onStartedLeading failed");
        });
    }
  }

  async stop(): Promise<void> {
    const controller = this.#leading;
    if (controller === undefined) return;
    this.#leading = undefined;
    controller.abort(new Error("stopping"));
    for (const listener of [...this.#listeners]) {
      try {
        await listener.onStoppedLeading?.();
      } catch (error) {
        this.#logger?.error({ err: error }, "onStoppedLeading failed");
      }
    }
  }
}
