import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { ActivityEntry, ActivitySource } from "@spreadops/api";
import { ActivityEntrySchema, ActivitySeverity } from "@spreadops/api";
import type { Clock } from "@spreadops/runtime";
import { Subscription } from "./subscription.js";

/** What a producer says about an entry; the feed adds the id and (unless given) the time. */
export interface ActivityInit {
  readonly source: ActivitySource;
  /** Default info. */
  readonly severity?: ActivitySeverity;
  readonly kind?: string;
  readonly name?: string;
  /** UpperCamelCase, e.g. "PhaseChanged", "Filled", "ApprovedByUser". */
  readonly reason: string;
  readonly message: string;
  readonly actor?: string;
  /** When it happened, ms since the epoch; default now. */
  readonly timeMs?: number;
}

/** Options for {@link ActivityFeed}. */
export interface ActivityFeedOptions {
  readonly clock: Pick<Clock, "now">;
  /** Entries kept for new subscribers; default 500. */
  readonly capacity?: number;
  /** Per subscriber: entries that may wait for a slow reader. Default 1,000. */
  readonly maxQueued?: number;
}

/** A new subscriber's view: the recent entries (oldest first), then the live ones. */
export interface ActivitySubscription {
  readonly recent: readonly ActivityEntry[];
  readonly live: Subscription<ActivityEntry>;
}

/**
 * The activity feed: an in-memory ring buffer of the most recent entries (resource changes,
 * order events, audit, the console's own notices) fanned out to every subscriber. Held in
 * memory only: a restarted console starts with an empty feed (the Events on the objects and the
 * audit log are the durable record).
 */
export class ActivityFeed {
  readonly #clock: Pick<Clock, "now">;
  readonly #capacity: number;
  readonly #maxQueued: number;
  readonly #ring: ActivityEntry[] = [];
  readonly #subscribers = new Set<Subscription<ActivityEntry>>();
  #nextId = 1n;

  constructor(options: ActivityFeedOptions) {
    this.#clock = options.clock;
    this.#capacity = options.capacity ?? 500;
    this.#maxQueued = options.maxQueued ?? 1_000;
  }

  /** Adds an entry, keeps it (dropping the oldest past capacity) and sends it to every subscriber. */
  add(init: ActivityInit): ActivityEntry {
    const entry = create(ActivityEntrySchema, {
      id: this.#nextId++,
      time: timestampFromMs(init.timeMs ?? this.#clock.now()),
      source: init.source,
      severity: init.severity ?? ActivitySeverity.INFO,
      kind: init.kind ?? "",
      name: init.name ?? "",
      reason: init.reason,
      message: init.message,
      actor: init.actor ?? "",
    });
    this.#ring.push(entry);
    if (this.#ring.length > this.#capacity) this.#ring.splice(0, this.#ring.length - this.#capacity);
    for (const subscriber of this.#subscribers) subscriber.push(entry);
    return entry;
  }

  /** The kept entries, oldest first. */
  recent(): readonly ActivityEntry[] {
    return [...this.#ring];
  }

  /** Subscribes; the subscription ends when `signal` aborts. */
  subscribe(signal?: AbortSignal): ActivitySubscription {
    const live: Subscription<ActivityEntry> = new Subscription<ActivityEntry>({
      maxQueued: this.#maxQueued,
      ...(signal === undefined ? {} : { signal }),
      onClose: () => this.#subscribers.delete(live),
    });
    if (!live.ended) this.#subscribers.add(live);
    return { recent: this.recent(), live };
  }

  /** Subscribers right now. */
  get subscribers(): number {
    return this.#subscribers.size;
  }

  /** Ends every subscription (shutdown), with `error` when given so callers know to reconnect. */
  close(error?: Error): void {
    for (const subscriber of [...this.#subscribers]) {
      if (error === undefined) subscriber.end();
      else subscriber.fail(error);
    }
  }
}
