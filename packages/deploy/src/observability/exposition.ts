/**
 * Reads the Prometheus text exposition format (what every service serves on /metrics) into
 * metric families: name, type, help, and the label names seen on its series.
 */

/** The metric types of the text format. */
export type MetricType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

/** One metric family as exposed. */
export interface MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  /** Label names on the family's series (without `le`/`quantile`); empty when it has none yet. */
  readonly labelNames: ReadonlySet<string>;
  /** Number of samples exposed (0: declared by HELP/TYPE, no series yet). */
  readonly samples: number;
}

interface MutableFamily {
  name: string;
  type: MetricType;
  help: string;
  labelNames: Set<string>;
  samples: number;
}

const TYPES = new Set<string>(["counter", "gauge", "histogram", "summary", "untyped"]);
const SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  histogram: ["_bucket", "_sum", "_count"],
  summary: ["_sum", "_count"],
};
const SAMPLE = /^([A-Za-z_:][A-Za-z0-9_:]*)(\{(.*)\})?\s+\S+(\s+\S+)?$/;
const LABEL = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/gy;

/** Thrown for a line that is not valid text exposition. */
export class ExpositionError extends Error {
  constructor(message: string, readonly line: string) {
    super(`${message}: ${line}`);
    this.name = "ExpositionError";
  }
}

function labelNamesOf(text: string, line: string): string[] {
  const names: string[] = [];
  LABEL.lastIndex = 0;
  let consumed = 0;
  for (let m = LABEL.exec(text); m !== null; m = LABEL.exec(text)) {
    if (m[1] !== undefined) names.push(m[1]);
    consumed = LABEL.lastIndex;
  }
  if (text.slice(consumed).trim() !== "") throw new ExpositionError("bad label set", line);
  return names;
}

/** Parses one scrape. Families are keyed by their name (histograms by the base name). */
export function parseExposition(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MutableFamily>();
  const family = (name: string): MutableFamily => {
    let f = families.get(name);
    if (f === undefined) {
      f = { name, type: "untyped", help: "", labelNames: new Set(), samples: 0 };
      families.set(name, f);
    }
    return f;
  };
  const owner = (series: string): MutableFamily => {
    for (const [base, f] of families) {
      const suffixes = SUFFIXES[f.type] ?? [];
      if (suffixes.some((s) => series === base + s)) return f;
    }
    return family(series);
  };
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    if (line.startsWith("#")) {
      const parts = /^#\s+(HELP|TYPE)\s+([A-Za-z_:][A-Za-z0-9_:]*)(?:\s+(.*))?$/.exec(line);
      if (parts === null) continue; // a plain comment
      const [, keyword, name = "", rest = ""] = parts;
      if (keyword === "HELP") family(name).help = rest;
      else {
        if (!TYPES.has(rest)) throw new ExpositionError(`unknown metric type ${JSON.stringify(rest)}`, line);
        family(name).type = rest as MetricType;
      }
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (sample === null) throw new ExpositionError("not a sample", line);
    const [, series = "", , labels] = sample;
    const f = owner(series);
    f.samples += 1;
    if (labels !== undefined) {
      for (const name of labelNamesOf(labels, line)) {
        if (name !== "le" && name !== "quantile") f.labelNames.add(name);
      }
    }
  }
  return new Map([...families].map(([name, f]) => [name, { ...f }]));
}
