/**
 * Just enough PromQL to find the series selectors in a dashboard query or an alert expression:
 * which metric names it reads and with which label matchers. Not a validating parser: it
 * tokenizes, skips strings, ranges (`[5m]`, `[$__rate_interval]`), label lists of `by`,
 * `without`, `on`, `ignoring`, `group_left`, `group_right`, function and aggregation names, and
 * reports every other identifier as a metric name, with the matchers of the `{…}` that follows.
 * Grafana's `label_values(selector, label)` is understood (its label argument is not a metric).
 */

/** One label matcher of a selector, e.g. `state="connected"`. */
export interface LabelMatcher {
  readonly label: string;
  readonly op: "=" | "!=" | "=~" | "!~";
  readonly value: string;
}

/** One series selector: `metric{label="value", …}`. */
export interface Selector {
  readonly metric: string;
  readonly matchers: readonly LabelMatcher[];
}

type Token =
  | { readonly kind: "ident"; readonly text: string }
  | { readonly kind: "string"; readonly text: string }
  | { readonly kind: "number"; readonly text: string }
  | { readonly kind: "variable"; readonly text: string }
  | { readonly kind: "punct"; readonly text: string }
  | { readonly kind: "matchers"; readonly matchers: readonly LabelMatcher[]; readonly name?: string };

/** Aggregation operators: followed by `(` or by a `by`/`without` clause, never metric names. */
const AGGREGATIONS = new Set([
  "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
  "limitk", "limit_ratio",
]);
/** Keywords followed by a parenthesised label list. */
const LABEL_LIST_KEYWORDS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right"]);
/** Binary set operators and modifiers. */
const KEYWORDS = new Set(["and", "or", "unless", "bool", "offset", "atan2", "start", "end"]);

const IDENT_START = /[A-Za-z_:]/;
const IDENT_PART = /[A-Za-z0-9_:]/;

/** Thrown for text this reader cannot make sense of (an unterminated string or brace). */
export class PromQlSyntaxError extends Error {
  constructor(message: string, readonly expr: string) {
    super(`${message} in: ${expr}`);
    this.name = "PromQlSyntaxError";
  }
}

function readString(expr: string, start: number): { value: string; end: number } {
  const quote = expr[start];
  let value = "";
  let i = start + 1;
  while (i < expr.length) {
    const c = expr.charAt(i);
    if (c === "\\" && quote !== "`") {
      value += expr.charAt(i + 1);
      i += 2;
      continue;
    }
    if (c === quote) return { value, end: i + 1 };
    value += c;
    i += 1;
  }
  throw new PromQlSyntaxError("unterminated string", expr);
}

function readIdent(expr: string, start: number): { text: string; end: number } {
  let i = start;
  while (i < expr.length && IDENT_PART.test(expr[i] ?? "")) i += 1;
  return { text: expr.slice(start, i), end: i };
}

function skipSpace(expr: string, start: number): number {
  let i = start;
  while (i < expr.length) {
    const c = expr[i];
    if (c === "#") {
      while (i < expr.length && expr[i] !== "\n") i += 1;
    } else if (c !== undefined && /\s/.test(c)) {
      i += 1;
    } else {
      break;
    }
  }
  return i;
}

/** Reads `{label op "value", …}` starting at the `{`. */
function readMatchers(expr: string, start: number): { matchers: LabelMatcher[]; name?: string; end: number } {
  const matchers: LabelMatcher[] = [];
  let name: string | undefined;
  let i = start + 1;
  for (;;) {
    i = skipSpace(expr, i);
    if (expr[i] === "}") return { matchers, ...(name === undefined ? {} : { name }), end: i + 1 };
    if (i >= expr.length) throw new PromQlSyntaxError("unterminated {", expr);
    let label: string;
    if (expr[i] === '"' || expr[i] === "'") {
      // A quoted metric name inside the braces (Prometheus 3: {"metric.name", label="x"}).
      const quoted = readString(expr, i);
      i = skipSpace(expr, quoted.end);
      if (expr[i] === "," || expr[i] === "}") {
        name = quoted.value;
        if (expr[i] === ",") i += 1;
        continue;
      }
      label = quoted.value;
    } else {
      if (!IDENT_START.test(expr[i] ?? "")) throw new PromQlSyntaxError(`unexpected ${JSON.stringify(expr[i])} in matchers`, expr);
      const ident = readIdent(expr, i);
      label = ident.text;
      i = skipSpace(expr, ident.end);
    }
    const two = expr.slice(i, i + 2);
    let op: LabelMatcher["op"];
    if (two === "=~" || two === "!~" || two === "!=") {
      op = two;
      i += 2;
    } else if (expr[i] === "=") {
      op = "=";
      i += 1;
    } else {
      throw new PromQlSyntaxError(`expected a matcher operator after ${label}`, expr);
    }
    i = skipSpace(expr, i);
    if (expr[i] !== '"' && expr[i] !== "'" && expr[i] !== "`") throw new PromQlSyntaxError(`expected a string value for ${label}`, expr);
    const value = readString(expr, i);
    if (label === "__name__" && op === "=") name = value.value;
    else matchers.push({ label, op, value: value.value });
    i = skipSpace(expr, value.end);
    if (expr[i] === ",") i += 1;
  }
}

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    i = skipSpace(expr, i);
    if (i >= expr.length) break;
    const c = expr[i] ?? "";
    if (c === '"' || c === "'" || c === "`") {
      const s = readString(expr, i);
      tokens.push({ kind: "string", text: s.value });
      i = s.end;
    } else if (c === "{") {
      const m = readMatchers(expr, i);
      tokens.push({ kind: "matchers", matchers: m.matchers, ...(m.name === undefined ? {} : { name: m.name }) });
      i = m.end;
    } else if (c === "[") {
      // A range or subquery resolution: durations and Grafana variables, no selectors.
      const close = expr.indexOf("]", i);
      if (close < 0) throw new PromQlSyntaxError("unterminated [", expr);
      i = close + 1;
    } else if (c === "$") {
      // Grafana variable: $name, ${name}, ${name:format}, [[name]] is not supported.
      const braced = expr[i + 1] === "{";
      const end = braced ? expr.indexOf("}", i) + 1 : readIdent(expr, i + 1).end;
      if (end <= i) throw new PromQlSyntaxError("unterminated ${", expr);
      tokens.push({ kind: "variable", text: expr.slice(i, end) });
      i = end;
    } else if (/[0-9.]/.test(c)) {
      let j = i;
      while (j < expr.length && /[0-9A-Za-z_.+-]/.test(expr[j] ?? "")) {
        // A sign only belongs to the number right after an exponent marker.
        if ((expr[j] === "+" || expr[j] === "-") && !/[eE]/.test(expr[j - 1] ?? "")) break;
        j += 1;
      }
      tokens.push({ kind: "number", text: expr.slice(i, j) });
      i = j;
    } else if (IDENT_START.test(c)) {
      const ident = readIdent(expr, i);
      tokens.push({ kind: "ident", text: ident.text });
      i = ident.end;
    } else {
      tokens.push({ kind: "punct", text: c });
      i += 1;
    }
  }
  return tokens;
}

/** The index just after the parenthesised group that starts at `open` (a `(` token). */
function skipGroup(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t?.kind !== "punct") continue;
    if (t.text === "(") depth += 1;
    else if (t.text === ")") {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return tokens.length;
}

function isPunct(token: Token | undefined, text: string): boolean {
  return token?.kind === "punct" && token.text === text;
}

/**
 * Every series selector in a PromQL expression (or a Grafana `label_values(…)` query), in
 * order of appearance. Label matchers whose value is a Grafana variable are kept as written.
 */
export function parseSelectors(expr: string): Selector[] {
  const tokens = tokenize(expr);
  const selectors: Selector[] = [];
  /** Index ranges (start inclusive, end exclusive) whose identifiers are label names. */
  const skipped = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === undefined || skipped.has(i)) continue;
    if (t.kind === "matchers") {
      // A selector without a leading name: {__name__="x"} (or a quoted Prometheus 3 name).
      if (t.name !== undefined) selectors.push({ metric: t.name, matchers: t.matchers });
      continue;
    }
    if (t.kind !== "ident") continue;
    const next = tokens[i + 1];
    if (LABEL_LIST_KEYWORDS.has(t.text) && isPunct(next, "(")) {
      const end = skipGroup(tokens, i + 1);
      for (let j = i + 1; j < end; j++) skipped.add(j);
      continue;
    }
    if (KEYWORDS.has(t.text)) {
      if (t.text === "offset") skipped.add(i + 1);
      continue;
    }
    if (AGGREGATIONS.has(t.text)) continue;
    if (isPunct(next, "(")) {
      if (t.text === "label_values") {
        // Grafana: label_values(label) or label_values(selector, label): the last argument is a label.
        const end = skipGroup(tokens, i + 1);
        let depth = 0;
        let lastComma = -1;
        for (let j = i + 1; j < end; j++) {
          const u = tokens[j];
          if (isPunct(u, "(")) depth += 1;
          else if (isPunct(u, ")")) depth -= 1;
          else if (depth === 1 && isPunct(u, ",")) lastComma = j;
        }
        const labelFrom = lastComma < 0 ? i + 2 : lastComma + 1;
        for (let j = labelFrom; j < end; j++) skipped.add(j);
      }
      continue; // a function call
    }
    const matchers = next?.kind === "matchers" ? next.matchers : [];
    selectors.push({ metric: t.text, matchers });
  }
  return selectors;
}

/** The distinct metric names an expression reads, sorted. */
export function metricNames(expr: string): string[] {
  return [...new Set(parseSelectors(expr).map((s) => s.metric))].sort();
}

/** The series a histogram exposes beside its base name. */
const HISTOGRAM_SUFFIXES = ["_bucket", "_sum", "_count"] as const;

/**
 * The metric family a series name belongs to, given the families that exist: `x_bucket`,
 * `x_sum` and `x_count` belong to histogram (or summary) `x` when `x` is a known family;
 * anything else is its own family.
 */
export function familyOf(series: string, isHistogramFamily: (name: string) => boolean): string {
  for (const suffix of HISTOGRAM_SUFFIXES) {
    if (series.endsWith(suffix)) {
      const base = series.slice(0, -suffix.length);
      if (isHistogramFamily(base)) return base;
    }
  }
  return series;
}
