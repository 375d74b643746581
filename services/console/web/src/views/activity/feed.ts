/**
 * The activity feed as the view holds it, pure: entries converted from the stream, merged
 * newest first without duplicates (a reconnect re-sends the recent entries), capped, filtered,
 * and the sentence a screen reader announces for a warning or an error.
 */
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { ActivitySeverity, ActivitySource, type ActivityEntry } from "@spreadops/api";

export interface FeedEntry {
  /**
   * Identity for de-duplication: the entry id (unique within one console process) with its
   * time, so entries of a restarted console, whose ids start again at 1, are not taken for old
   * ones.
   */
  readonly key: string;
  /** The console's id, decimal. */
  readonly id: string;
  readonly idNumber: bigint;
  /** ms since the epoch; NaN when the entry had no time. */
  readonly timeMs: number;
  readonly source: ActivitySource;
  readonly severity: ActivitySeverity;
  readonly kind: string;
  readonly name: string;
  readonly reason: string;
  readonly message: string;
  readonly actor: string;
}

export const MAX_ENTRIES = 1000;

export function fromProto(entry: ActivityEntry): FeedEntry {
  const timeMs = entry.time === undefined ? Number.NaN : timestampMs(entry.time);
  const id = entry.id.toString();
  return {
    key: `${id}@${Number.isNaN(timeMs) ? "?" : String(timeMs)}`,
    id,
    idNumber: entry.id,
    timeMs,
    source: entry.source,
    severity: entry.severity,
    kind: entry.kind,
    name: entry.name,
    reason: entry.reason,
    message: entry.message,
    actor: entry.actor,
  };
}

/** Newest first: by time, then by id (the console's order for entries of the same instant). */
export function compareNewestFirst(a: FeedEntry, b: FeedEntry): number {
  const ta = Number.isNaN(a.timeMs) ? -Infinity : a.timeMs;
  const tb = Number.isNaN(b.timeMs) ? -Infinity : b.timeMs;
  if (ta !== tb) return tb - ta;
  if (a.idNumber !== b.idNumber) return a.idNumber > b.idNumber ? -1 : 1;
  return 0;
}

export interface MergeResult {
  /** Newest first, at most `cap`. */
  readonly entries: readonly FeedEntry[];
  /** The incoming entries that were new (not duplicates) and kept. */
  readonly added: readonly FeedEntry[];
}

/** Adds `incoming` to `current` (newest first), dropping duplicates by key and the oldest past `cap`. */
export function mergeEntries(current: readonly FeedEntry[], incoming: readonly FeedEntry[], cap = MAX_ENTRIES): MergeResult {
  const seen = new Set(current.map((e) => e.key));
  const fresh: FeedEntry[] = [];
  for (const entry of incoming) {
    if (seen.has(entry.key)) continue;
    seen.add(entry.key);
    fresh.push(entry);
  }
  if (fresh.length === 0) return { entries: current, added: [] };
  const merged = [...current, ...fresh].sort(compareNewestFirst);
  const entries = merged.length > cap ? merged.slice(0, cap) : merged;
  const kept = new Set(entries.map((e) => e.key));
  return { entries, added: fresh.filter((e) => kept.has(e.key)) };
}

export interface FeedFilter {
  /** Sources shown; an entry of a source not listed is hidden. */
  readonly sources: ReadonlySet<ActivitySource>;
  /** Lowest severity shown (INFO shows everything; UNSPECIFIED counts as INFO). */
  readonly minSeverity: ActivitySeverity;
  /** Case-insensitive words, each of which must appear in the message, reason, object, or actor. */
  readonly text: string;
}

export const ALL_SOURCES: readonly ActivitySource[] = [ActivitySource.RESOURCE, ActivitySource.ORDER, ActivitySource.AUDIT, ActivitySource.SYSTEM];

const severityRank = (s: ActivitySeverity): number => (s === ActivitySeverity.UNSPECIFIED ? ActivitySeverity.INFO : s);

export function matches(entry: FeedEntry, filter: FeedFilter): boolean {
  // Entries of an unknown source are shown with "other"; hiding them would hide news.
  const knownSource = ALL_SOURCES.includes(entry.source);
  if (knownSource && !filter.sources.has(entry.source)) return false;
  if (severityRank(entry.severity) < severityRank(filter.minSeverity)) return false;
  const words = filter.text.trim().toLowerCase().split(/\s+/).filter((w) => w !== "");
  if (words.length === 0) return true;
  const haystack = `${entry.kind} ${entry.name} ${entry.reason} ${entry.message} ${entry.actor}`.toLowerCase();
  return words.every((w) => haystack.includes(w));
}

export const filterEntries = (entries: readonly FeedEntry[], filter: FeedFilter): FeedEntry[] => entries.filter((e) => matches(e, filter));

/**
 * What a screen reader should hear about newly arrived entries: only warnings and errors, the
 * most severe first; undefined when there is nothing to announce (fills and phase changes are
 * not read out).
 */
export function announcement(added: readonly FeedEntry[]): string | undefined {
  const loud = added.filter((e) => e.severity === ActivitySeverity.WARNING || e.severity === ActivitySeverity.ERROR);
  if (loud.length === 0) return undefined;
  const worst = [...loud].sort((a, b) => b.severity - a.severity || compareNewestFirst(a, b))[0];
  if (worst === undefined) return undefined;
  const level = worst.severity === ActivitySeverity.ERROR ? "Error" : "Warning";
  const about = worst.name === "" ? "" : ` ${worst.kind} ${worst.name}`;
  const more = loud.length > 1 ? ` (and ${loud.length - 1} more)` : "";
  return `${level}${about}: ${worst.reason} — ${worst.message}${more}`;
}

/** Where an entry's object lives in the console, or undefined when it has none. */
export function objectPath(entry: Pick<FeedEntry, "kind" | "name">): string | undefined {
  if (entry.name === "") return undefined;
  if (entry.kind === "Trade") return `/trades/${encodeURIComponent(entry.name)}`;
  if (entry.kind === "Strategy") return `/strategies/${encodeURIComponent(entry.name)}`;
  return undefined;
}

export const SOURCE_NAMES: Record<ActivitySource, string> = {
  [ActivitySource.UNSPECIFIED]: "Other",
  [ActivitySource.RESOURCE]: "Resources",
  [ActivitySource.ORDER]: "Orders",
  [ActivitySource.AUDIT]: "Audit (console users)",
  [ActivitySource.SYSTEM]: "System",
};

export const SEVERITY_NAMES: Record<ActivitySeverity, string> = {
  [ActivitySeverity.UNSPECIFIED]: "info",
  [ActivitySeverity.INFO]: "info",
  [ActivitySeverity.WARNING]: "warning",
  [ActivitySeverity.ERROR]: "error",
};
