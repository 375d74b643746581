/**
 * What a service sees of leader election, whichever way it is done (a Kubernetes Lease or
 * {@link AlwaysLeader} when there is no cluster).
 */

/** Callbacks for leadership changes. Every one is optional. */
export interface LeadershipListener {
  /**
   * This replica became leader. `signal` aborts the moment leadership is lost or given up: start
   * leader-only work here (the TWS session) and end it when the signal aborts. Not awaited.
   */
  onStartedLeading?(signal: AbortSignal): void | Promise<void>;
  /**
   * This replica is no longer leader: stop leader-only work now. Called when the renew deadline
   * passes, always before another replica can acquire the lease, and on stop. Awaited before the
   * lease is released or acquisition is tried again.
   */
  onStoppedLeading?(): void | Promise<void>;
  /** The lease holder changed to `identity` (this replica's own identity included). */
  onNewLeader?(identity: string): void;
}

/** One replica's view of leadership. */
export interface Leadership {
  /** This replica's identity, as written into the Lease. */
  readonly identity: string;
  /** True while this replica may act as leader. */
  isLeader(): boolean;
  /** The holder last observed, if any. */
  currentLeader(): string | undefined;
  /** Adds a listener; returns a function that removes it. */
  subscribe(listener: LeadershipListener): () => void;
  /** Starts campaigning in the background. Calling it twice is a mistake and throws. */
  start(): void;
  /**
   * Stops campaigning; if leader, calls `onStoppedLeading` and then (unless `release: false`)
   * releases the lease so a standby takes over at once. Never rejects.
   */
  stop(options?: { readonly release?: boolean }): Promise<void>;
}
