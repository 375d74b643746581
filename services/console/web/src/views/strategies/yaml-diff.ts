/**
 * The review step's diff: both specs as YAML with keys in schema order (as a user writes the
 * manifest), compared line by line with jsdiff's diffLines.
 */
import { diffLines } from "diff";
import { stringify } from "yaml";
import type { JsonSchema } from "./schema-fields";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A copy of `value` whose object keys follow the schema's property order; unknown keys come last, in their order. */
export function orderBySchema(schema: JsonSchema | undefined, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => orderBySchema(schema?.items, v));
  if (!isObject(value)) return value;
  const props = schema?.properties ?? {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(props)) if (value[key] !== undefined) out[key] = orderBySchema(props[key], value[key]);
  for (const [key, v] of Object.entries(value)) if (!(key in props) && v !== undefined) out[key] = orderBySchema(undefined, v);
  return out;
}

/** YAML of a spec in schema order ("" for none). */
export function specYaml(schema: JsonSchema, spec: unknown): string {
  if (spec === undefined) return "";
  return stringify(orderBySchema(schema, spec), { lineWidth: 0 });
}

export type DiffLineKind = "added" | "removed" | "same";

export interface DiffLine {
  readonly kind: DiffLineKind;
  readonly text: string;
}

export interface DiffModel {
  readonly lines: readonly DiffLine[];
  readonly added: number;
  readonly removed: number;
}

export function diffYaml(before: string, after: string): DiffModel {
  const lines: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  for (const part of diffLines(before, after)) {
    const kind: DiffLineKind = part.added ? "added" : part.removed ? "removed" : "same";
    const texts = part.value.replace(/\n$/, "").split("\n");
    for (const text of texts) lines.push({ kind, text });
    if (kind === "added") added += texts.length;
    if (kind === "removed") removed += texts.length;
  }
  return { lines, added, removed };
}

/** A run of unchanged lines left out of a collapsed diff. */
export interface DiffGap {
  readonly kind: "gap";
  readonly count: number;
}

/** The diff with unchanged runs longer than 2 × `context` + 1 cut to `context` lines around each change. */
export function collapseDiff(lines: readonly DiffLine[], context = 3): (DiffLine | DiffGap)[] {
  const keep = lines.map((line) => line.kind !== "same");
  const near = lines.map((_, i) => {
    for (let d = -context; d <= context; d++) if (keep[i + d] === true) return true;
    return false;
  });
  const out: (DiffLine | DiffGap)[] = [];
  let gap = 0;
  lines.forEach((line, i) => {
    if (near[i] === true) {
      if (gap > 0) { out.push({ kind: "gap", count: gap }); gap = 0; }
      out.push(line);
    } else {
      gap++;
    }
  });
  if (gap > 0) out.push({ kind: "gap", count: gap });
  // A gap of one line is shorter shown than announced.
  return out.flatMap((entry, index) => {
    if (entry.kind !== "gap" || entry.count > 1) return [entry];
    const position = out.slice(0, index).reduce((n, e) => n + (e.kind === "gap" ? e.count : 1), 0);
    const line = lines[position];
    return line === undefined ? [] : [line];
  });
}
