/**
 * Applies, times and lifts faults through {@link SimControl}, in simulated time.
 *
 * @packageDocumentation
 */

import type { Logger } from "@spreadops/runtime";
import type { Farm, SimControl } from "../control.js";
import { DailySchedule } from "./daily-schedule.js";
import { faultKey } from "./fault-request.js";
import type { FaultRequest, RestartWindowFault } from "./fault-request.js";
import {
  COMPETING_LIVE_SESSION_TEXT,
  CONNECTIVITY_LOST_TEXT,
  CONNECTIVITY_RESTORED_DATA_LOST_TEXT,
  CONNECTIVITY_RESTORED_DATA_MAINTAINED_TEXT,
  NoticeCode,
  RESTART_DISCONNECT_REASON,
} from "./notices.js";

export { parseFaultRequest, FaultRequestError } from "./fault-request.js";
export type { FaultRequest } from "./fault-request.js";

/** Default zone of a daily restart window (IB's schedule is in New York time). */
const DEFAULT_RESTART_ZONE = "America/New_York";
/** Events one tick may run; far above anything real, it only stops a runaway loop. */
const MAX_EVENTS_PER_TICK = 10_000;

/** Options for {@link FaultInjector}. */
export interface FaultInjectorOptions {
  readonly logger: Logger;
  /** Simulated now for `apply`/`schedule`; default `control.now()`. */
  readonly now?: () => number;
}

/** A fault in effect now, as `active()` and `/stats` report it. */
export interface ActiveFault {
  /** The fault's kind, or `farm:<farm>`. */
  readonly kind: string;
  /** When it ends by itself (epoch ms, simulated); absent = until cleared. */
  readonly untilMs?: number;
}

/** A fault waiting for its time: a one-off `schedule` or the next daily restart window. */
export interface ScheduledFault {
  readonly kind: string;
  readonly atMs: number;
  readonly fault: FaultRequest;
}

/** What is in effect in one slot (connectivity, one farm, restart window, …). */
interface Slot {
  readonly kind: string;
  readonly untilMs?: number;
  /** Runs when `untilMs` passes. */
  readonly expire: () => void;
  /** Runs on `clear()`: back to the healthy baseline. */
  readonly clear: () => void;
}

interface Pending {
  readonly fault: FaultRequest;
  readonly atMs: number;
  readonly seq: number;
}

interface Daily {
  readonly fault: RestartWindowFault;
  readonly schedule: DailySchedule;
  next: { readonly day: number; readonly atMs: number };
}

/** Event kinds by priority at equal times: what ends goes before what starts. */
type Due =
  | { readonly atMs: number; readonly order: 0; readonly slotKey: string }
  | { readonly atMs: number; readonly order: 1 }
  | { readonly atMs: number; readonly order: 2; readonly pending: Pending };

function isEarlier(a: Due, b: Due | undefined): boolean {
  if (b === undefined) return true;
  if (a.atMs !== b.atMs) return a.atMs < b.atMs;
  if (a.order !== b.order) return a.order < b.order;
  return a.order === 2 && b.order === 2 && a.pending.seq < b.pending.seq;
}

/**
 * Injects TWS faults into a running simulator. It only acts through {@link SimControl}, and it
 * owns the connectivity and competing-session **notices**: it calls `setConnectivity` (state
 * only) and then `broadcastNotice(1100 | 1101 | 1102 | 10197)` itself, so the server's
 * `setConnectivity` must not send them too. Farm notices are the server's (`setFarmStatus` sends
 * 2103–2158).
 *
 * Durations and schedules are simulated time: the server calls {@link tick} from its market loop,
 * and `tick` runs every due event in time order (what ends before what starts at the same
 * instant), so one long clock jump still ends a fault that started inside it. A daily restart
 * window fires once per local day in its zone; days jumped over in one tick collapse into one
 * window (the latest), which opens and, if already over, closes in the same tick.
 *
 * Applying a fault of a kind already in effect replaces it (new end time, new parameters) without
 * repeating its notice; `clear()` lifts everything, cancels schedules and restores the baseline:
 * connectivity back (1101/1102), farms OK, connections accepted, no delay, no drops, no pending
 * order rejections.
 */
export class FaultInjector {
  readonly #control: SimControl;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #slots = new Map<string, Slot>();
  /** Farms known broken; every farm starts OK. */
  readonly #farmOk = new Map<Farm, boolean>();
  #pending: Pending[] = [];
  #seq = 0;
  #daily: Daily | undefined;
  #ordersRejecting = false;

  constructor(control: SimControl, opts: FaultInjectorOptions) {
    this.#control = control;
    this.#log = opts.logger.child({ component: "fault-injector" });
    this.#now = opts.now ?? (() => control.now());
  }

  /** Applies a fault now (a daily restart window: arms its schedule). */
  apply(fault: FaultRequest): void {
    this.#applyAt(fault, this.#now());
  }

  /** Applies a fault at `atMs` (simulated); at once when that is not in the future. */
  schedule(fault: FaultRequest, atMs: number): void {
    const now = this.#now();
    if (atMs <= now) {
      this.#applyAt(fault, now);
      return;
    }
    this.#seq += 1;
    this.#pending.push({ fault, atMs, seq: this.#seq });
    this.#log.info({ fault, atMs, at: new Date(atMs).toISOString() }, "fault scheduled");
  }

  /**
   * Runs everything due at or before `nowMs` (simulated): scheduled faults, fault ends and daily
   * restart windows, in time order. A failing control call is logged and does not stop the rest.
   */
  tick(nowMs: number): void {
    for (let i = 0; i < MAX_EVENTS_PER_TICK; i += 1) {
      const due = this.#nextDue(nowMs);
      if (due === undefined) return;
      try {
        this.#run(due, nowMs);
      } catch (error: unknown) {
        this.#log.error({ err: error, atMs: due.atMs }, "fault event failed");
      }
    }
    this.#log.error({ nowMs }, "too many fault events in one tick; the rest wait for the next tick");
  }

  /** Faults in effect now. */
  active(): readonly ActiveFault[] {
    return [...this.#slots.values()].map((s) => (s.untilMs === undefined ? { kind: s.kind } : { kind: s.kind, untilMs: s.untilMs }));
  }

  /** Faults waiting for their time, soonest first, including the next daily restart window. */
  scheduled(): readonly ScheduledFault[] {
    const out: ScheduledFault[] = this.#pending.map((p) => ({ kind: faultKey(p.fault), atMs: p.atMs, fault: p.fault }));
    if (this.#daily !== undefined) {
      out.push({ kind: "restartWindow", atMs: this.#daily.next.atMs, fault: this.#daily.fault });
    }
    return out.sort((a, b) => a.atMs - b.atMs);
  }

  /** Lifts every fault, cancels every schedule and restores the healthy baseline. */
  clear(): void {
    const lifted = [...this.#slots.keys()];
    this.#pending = [];
    this.#daily = undefined;
    const slots = [...this.#slots.values()];
    this.#slots.clear();
    for (const slot of slots) slot.clear();
    if (this.#ordersRejecting) {
      this.#control.rejectNextOrders("", 0);
      this.#ordersRejecting = false;
    }
    this.#log.info({ lifted }, "faults cleared");
  }

  #nextDue(nowMs: number): Due | undefined {
    let best: Due | undefined;
    for (const [slotKey, slot] of this.#slots) {
      if (slot.untilMs === undefined || slot.untilMs > nowMs) continue;
      const due: Due = { atMs: slot.untilMs, order: 0, slotKey };
      if (isEarlier(due, best)) best = due;
    }
    if (this.#daily !== undefined && this.#daily.next.atMs <= nowMs) {
      const due: Due = { atMs: this.#daily.next.atMs, order: 1 };
      if (isEarlier(due, best)) best = due;
    }
    for (const pending of this.#pending) {
      if (pending.atMs > nowMs) continue;
      const due: Due = { atMs: pending.atMs, order: 2, pending };
      if (isEarlier(due, best)) best = due;
    }
    return best;
  }

  #run(due: Due, nowMs: number): void {
    switch (due.order) {
      case 0: {
        const slot = this.#slots.get(due.slotKey);
        if (slot === undefined) return;
        this.#slots.delete(due.slotKey);
        this.#log.info({ kind: slot.kind, atMs: due.atMs }, "fault ended");
        slot.expire();
        return;
      }
      case 1:
        this.#fireDaily(nowMs);
        return;
      case 2:
        this.#pending = this.#pending.filter((p) => p !== due.pending);
        this.#applyAt(due.pending.fault, due.atMs);
        return;
    }
  }

  #applyAt(fault: FaultRequest, atMs: number): void {
    const until = "durationMs" in fault && fault.durationMs !== undefined ? atMs + fault.durationMs : undefined;
    this.#log.info({ fault, atMs, ...(until === undefined ? {} : { untilMs: until }) }, "fault applied");
    switch (fault.kind) {
      case "connectivityLost":
        this.#connectivityLost(fault.dataLost ?? false, until);
        return;
      case "farm":
        this.#farm(fault.farm, fault.ok, until);
        return;
      case "restartWindow":
        if (fault.daily === undefined) this.#openRestartWindow(atMs + fault.durationMs);
        else this.#armDaily(fault, atMs);
        return;
      case "competingSession":
        this.#competingSession(until);
        return;
      case "rejectOrders":
        this.#control.rejectNextOrders(fault.reason, fault.count);
        this.#ordersRejecting = true;
        return;
      case "slowResponses":
        this.#setting("slowResponses", fault.delayMs, until, (ms) => {
          this.#control.setResponseDelayMs(ms);
        });
        return;
      case "dropResponses":
        this.#setting("dropResponses", fault.fraction, until, (f) => {
          this.#control.setResponseDropRate(f);
        });
        return;
    }
  }

  #put(key: string, slot: Omit<Slot, "untilMs">, untilMs: number | undefined): void {
    this.#slots.set(key, untilMs === undefined ? slot : { ...slot, untilMs });
  }

  #connectivityLost(dataLost: boolean, untilMs: number | undefined): void {
    // Already lost: a second loss is not news to clients, only the end time and restore mode change.
    if (!this.#slots.has("connectivityLost")) {
      this.#control.setConnectivity({ connected: false });
      this.#control.broadcastNotice(NoticeCode.ConnectivityLost, CONNECTIVITY_LOST_TEXT);
    }
    const restore = (): void => {
      this.#control.setConnectivity({ connected: true, dataLost });
      if (dataLost) {
        this.#control.broadcastNotice(NoticeCode.ConnectivityRestoredDataLost, CONNECTIVITY_RESTORED_DATA_LOST_TEXT);
      } else {
        this.#control.broadcastNotice(
          NoticeCode.ConnectivityRestoredDataMaintained,
          CONNECTIVITY_RESTORED_DATA_MAINTAINED_TEXT,
        );
      }
    };
    this.#put("connectivityLost", { kind: "connectivityLost", expire: restore, clear: restore }, untilMs);
  }

  #farm(farm: Farm, ok: boolean, untilMs: number | undefined): void {
    const key = `farm:${farm}`;
    const previous = this.#farmOk.get(farm) ?? true;
    this.#setFarm(farm, ok);
    const backToHealthy = (): void => {
      if (this.#farmOk.get(farm) === false) this.#setFarm(farm, true);
    };
    if (untilMs !== undefined) {
      // "Then back": to the state before this fault; going back to broken leaves it in effect.
      const back = (): void => {
        this.#setFarm(farm, previous);
        if (!previous) this.#put(key, { kind: key, expire: backToHealthy, clear: backToHealthy }, undefined);
      };
      this.#put(key, { kind: key, expire: back, clear: backToHealthy }, untilMs);
    } else if (ok) {
      this.#slots.delete(key);
    } else {
      this.#put(key, { kind: key, expire: backToHealthy, clear: backToHealthy }, undefined);
    }
  }

  #setFarm(farm: Farm, ok: boolean): void {
    this.#control.setFarmStatus(farm, ok);
    this.#farmOk.set(farm, ok);
  }

  #openRestartWindow(untilMs: number): void {
    const open = this.#slots.get("restartWindow");
    if (open === undefined) {
      this.#control.disconnectAll(RESTART_DISCONNECT_REASON);
      this.#control.setAcceptingConnections(false);
    }
    // Overlapping windows (a manual one during the daily one) merge: open until the later end.
    const until = Math.max(untilMs, open?.untilMs ?? Number.NEGATIVE_INFINITY);
    const reopen = (): void => {
      this.#control.setAcceptingConnections(true);
    };
    this.#put("restartWindow", { kind: "restartWindow", expire: reopen, clear: reopen }, until);
  }

  #armDaily(fault: RestartWindowFault, nowMs: number): void {
    const daily = fault.daily;
    if (daily === undefined) return;
    const schedule = new DailySchedule(daily.at, daily.timeZone ?? DEFAULT_RESTART_ZONE);
    // Armed inside today's window: the window is open now, for what is left of it.
    this.#daily = { fault, schedule, next: schedule.firstEndingAfter(nowMs, fault.durationMs) };
    this.#log.info({ nextAtMs: this.#daily.next.atMs, next: new Date(this.#daily.next.atMs).toISOString() }, "daily restart window armed");
    this.tick(nowMs);
  }

  #fireDaily(nowMs: number): void {
    const daily = this.#daily;
    if (daily === undefined) return;
    // Days jumped over collapse into the latest occurrence; never one window per missed day.
    const latest = daily.schedule.latestAtOrBefore(nowMs);
    const occurrence = latest.day > daily.next.day ? latest : daily.next;
    daily.next = daily.schedule.on(occurrence.day + 1);
    this.#log.info({ atMs: occurrence.atMs, at: new Date(occurrence.atMs).toISOString() }, "daily restart window opens");
    this.#openRestartWindow(occurrence.atMs + daily.fault.durationMs);
  }

  #competingSession(untilMs: number | undefined): void {
    if (!this.#slots.has("competingSession")) {
      this.#control.broadcastNotice(NoticeCode.CompetingLiveSession, COMPETING_LIVE_SESSION_TEXT);
    }
    // TWS sends nothing when the other session ends; data simply flows again.
    const end = (): void => undefined;
    this.#put("competingSession", { kind: "competingSession", expire: end, clear: end }, untilMs);
  }

  /** Faults that are one setting of the server: on while in effect, 0 when lifted. */
  #setting(kind: "slowResponses" | "dropResponses", value: number, untilMs: number | undefined, set: (v: number) => void): void {
    set(value);
    if (value === 0) {
      this.#slots.delete(kind);
      return;
    }
    const off = (): void => {
      set(0);
    };
    this.#put(kind, { kind, expire: off, clear: off }, untilMs);
  }
}
