/**
 * Places CheckStrategy's violations ({field: "spec.entry[1].period", message}) on the form's
 * fields; those that name no field the form shows go to the summary at the top.
 */
export interface Violation {
  readonly field: string;
  readonly message: string;
}

/**
 * "spec.entry[1].period" → "entry.1.period"; "spec" → ""; "metadata.name" stays. Also accepts
 * dotted indices ("spec.entry.1.period").
 */
export function violationPath(field: string): string {
  const dotted = field.trim().replace(/\[(\d+)\]/g, ".$1").replace(/^\./, "");
  if (dotted === "spec") return "";
  return dotted.startsWith("spec.") ? dotted.slice("spec.".length) : dotted;
}

export interface PlacedViolations {
  /** By form path ("risk.maxRiskPerTrade"), messages deduplicated. */
  readonly byField: ReadonlyMap<string, readonly string[]>;
  /** Those no field shows, with the field as the server named it. */
  readonly rest: readonly Violation[];
}

/** `shown(path)` says whether the form has a field (or group) for the path. */
export function placeViolations(violations: readonly Violation[], shown: (path: string) => boolean): PlacedViolations {
  const byField = new Map<string, string[]>();
  const rest: Violation[] = [];
  for (const v of violations) {
    const path = violationPath(v.field);
    if (path !== "" && shown(path)) {
      const list = byField.get(path) ?? [];
      if (!list.includes(v.message)) list.push(v.message);
      byField.set(path, list);
    } else if (!rest.some((r) => r.field === v.field && r.message === v.message)) {
      rest.push(v);
    }
  }
  return { byField, rest };
}

/** Both maps merged, messages deduplicated (client-side checks first). */
export function mergeProblems(a: ReadonlyMap<string, readonly string[]>, b: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const source of [a, b]) {
    for (const [path, messages] of source) {
      const list = out.get(path) ?? [];
      for (const m of messages) if (!list.includes(m)) list.push(m);
      out.set(path, list);
    }
  }
  return out;
}
