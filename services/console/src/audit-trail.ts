import { open } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { ActivitySeverity, ActivitySource } from "@spreadops/api";
import type { ResourceStore } from "@spreadops/resources";
import { API_VERSION } from "@spreadops/resources";
import type { Clock, Logger } from "@spreadops/runtime";
import type { ActivityFeed } from "./activity-feed.js";
import { WindowLimiter } from "./window-limiter.js";
import type { Caller } from "./mutation-guard.js";

/** Who reports the console's Events. */
export const CONSOLE_COMPONENT = "spreadops-console";

/** The object a mutating call is about. */
export interface AuditTarget {
  readonly kind: "Strategy" | "Trade";
  readonly name: string;
  /** Set once known (after the write), so the Event names the exact object. */
  readonly uid?: string;
}

/** One mutating call, allowed or not. Never holds the token, only its fingerprint. */
export interface AuditRecord extends Caller {
  /** The RPC, e.g. "ApproveTrade". */
  readonly action: string;
  readonly target: AuditTarget;
  /** "ok", "denied: <why>" or "failed: <why>". */
  readonly outcome: string;
  /** Fingerprint of the token the call carried; only for calls whose token was valid. */
  readonly tokenId?: string;
  /** What the user gave as the reason (RejectTrade); optional. */
  readonly reason?: string;
}

/** The Event a successful action leaves on its object. */
export interface AuditEvent {
  readonly reason: string;
  readonly message: string;
  readonly type?: "Normal" | "Warning";
}

/** Refused changes shown in the activity feed per minute; the log and the audit file keep every one. */
export const DENIED_SHOWN_PER_MINUTE = 10;

/** Options for {@link AuditTrail.open}. */
export interface AuditTrailOptions {
  readonly logger: Logger;
  readonly store: Pick<ResourceStore, "recordEvent">;
  readonly namespace: string;
  readonly activity: Pick<ActivityFeed, "add">;
  readonly clock: Pick<Clock, "now">;
  /** Also append each record as a JSON line to this file (opened once, append mode). */
  readonly file?: string;
}

/**
 * Where every mutating call is recorded, allowed or not: one log line `{audit: true, …}`, an
 * AUDIT entry in the activity feed, a JSON line in the audit file when there is one, and for a
 * successful action an Event on the object (what `kubectl describe` shows next to the
 * controller's). A failure to record never undoes or fails the call; it is logged.
 */
export class AuditTrail {
  readonly #options: AuditTrailOptions;
  readonly #file: FileHandle | undefined;
  /** Appends are chained so lines never interleave and keep their order. */
  #appending: Promise<void> = Promise.resolve();
  /**
   * Denied attempts shown in the activity feed: anyone who reaches the port can make them, and
   * a flood must not push real entries out of the feed's buffer. The log and the file keep all.
   */
  readonly #deniedShown: WindowLimiter;

  private constructor(options: AuditTrailOptions, file: FileHandle | undefined) {
    this.#options = options;
    this.#file = file;
    this.#deniedShown = new WindowLimiter({ limit: DENIED_SHOWN_PER_MINUTE, windowMs: 60_000, clock: options.clock });
  }

  /**
   * Opens the audit file (when configured) for appending.
   * @throws Error when the file cannot be opened: a console told to keep an audit file never runs without it.
   */
  static async open(options: AuditTrailOptions): Promise<AuditTrail> {
    let file: FileHandle | undefined;
    if (options.file !== undefined) {
      try {
        file = await open(options.file, "a", 0o600);
      } catch (error) {
        throw new Error(`cannot open the audit log ${options.file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    }
    return new AuditTrail(options, file);
  }

  /** Records one call; `event` (successful calls) also becomes an Event on the object. */
  async record(record: AuditRecord, event?: AuditEvent): Promise<void> {
    const { logger, activity } = this.#options;
    const target = `${record.target.kind}/${record.target.name}`;
    const who = `${record.actor} from ${record.remote}`;
    const ok = record.outcome === "ok";
    const denied = record.outcome.startsWith("denied");
    const line = {
      audit: true, actor: record.actor, remote: record.remote, action: record.action, target, outcome: record.outcome,
      ...(record.tokenId === undefined ? {} : { tokenId: record.tokenId }),
      ...(record.reason === undefined || record.reason === "" ? {} : { reason: record.reason }),
    };
    const summary = `${record.action} ${target} by ${who}: ${record.outcome}`;
    if (ok) logger.info(line, summary);
    else logger.warn(line, summary);

    const shown = denied ? this.#deniedShown.take() : "allowed";
    if (shown === "first-refused") {
      activity.add({
        source: ActivitySource.AUDIT,
        severity: ActivitySeverity.WARNING,
        kind: "",
        name: "",
        reason: "DeniedAttemptsThrottled",
        message: `more than ${DENIED_SHOWN_PER_MINUTE} refused changes this minute; the rest are not shown here (every one is in the console's log and audit file)`,
        actor: "",
      });
    }
    if (ok || (denied && shown === "allowed")) {
      activity.add({
        source: ActivitySource.AUDIT,
        severity: denied ? ActivitySeverity.WARNING : ActivitySeverity.INFO,
        kind: record.target.kind,
        name: record.target.name,
        reason: ok ? (event?.reason ?? record.action) : "Denied",
        message: ok ? (event?.message ?? `${record.action} by ${who}`) : `${record.action} ${outcomeDetail(record.outcome)}`,
        actor: who,
      });
    }

    const writes: Promise<void>[] = [this.#append({ time: new Date(this.#options.clock.now()).toISOString(), ...line })];
    if (ok && event !== undefined) writes.push(this.#recordEvent(record.target, event));
    await Promise.all(writes);
  }

  /** Closes the audit file after pending lines are written. */
  async close(): Promise<void> {
    await this.#appending;
    await this.#file?.close();
  }

  #append(entry: Record<string, unknown>): Promise<void> {
    const file = this.#file;
    if (file === undefined) return Promise.resolve();
    this.#appending = this.#appending.then(
      () => file.appendFile(`${JSON.stringify(entry)}\n`, "utf8"),
    ).catch((error: unknown) => {
      this.#options.logger.error({ err: error, file: this.#options.file }, "writing the audit log failed");
    });
    return this.#appending;
  }

  async #recordEvent(target: AuditTarget, event: AuditEvent): Promise<void> {
    const { store, namespace, logger } = this.#options;
    try {
      await store.recordEvent(namespace, {
        involvedObject: { apiVersion: API_VERSION, kind: target.kind, namespace, name: target.name, ...(target.uid === undefined ? {} : { uid: target.uid }) },
        type: event.type ?? "Normal",
        reason: event.reason,
        message: event.message,
        component: CONSOLE_COMPONENT,
      });
    } catch (error) {
      logger.error({ err: error, kind: target.kind, name: target.name, reason: event.reason }, "recording the Event failed");
    }
  }
}

function outcomeDetail(outcome: string): string {
  return outcome.replace(/^denied: /, "refused: ");
}
