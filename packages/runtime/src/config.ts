import { z } from "zod";
import { DURATION_FORM, formatDuration, parseDuration } from "./duration.js";
import { suggestClosest } from "./suggest.js";

/**
 * One configuration option of a service: where it is read from, what it must look like, its
 * default and what it is for. Declare each option once; parsing, validation, error messages and
 * `--help` all come from this declaration.
 */
export interface OptionSpec<T extends z.ZodType = z.ZodType> {
  /** Zod type of the parsed value; strings from flags and env are coerced to it first. */
  readonly type: T;
  /** One line for `--help`. */
  readonly description: string;
  /** Environment variable, e.g. `SPREADOPS_GATEWAY_PORT`. */
  readonly env?: string;
  /** Command-line flag, e.g. `--port`. Boolean flags also accept `--no-<name>`. */
  readonly flag?: string;
  /**
   * Used when neither flag nor env is set. Text is coerced like env values, so a duration's
   * default can read `"15s"` and a list's `"a,b"`.
   */
  readonly default?: z.input<T> | string;
  /** Never echo the value: not in errors, not in `--help`, not in {@link describeConfig}. */
  readonly secret?: boolean;
  /**
   * How the value appears in {@link describeConfig} (the startup log line) when it may be shown
   * but not in full, e.g. an account number through `redactAccount`.
   */
  readonly logAs?: (value: z.output<T>) => unknown;
}

/** A service's options, keyed by the name the parsed config uses. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The parsed configuration for a set of options. */
export type ConfigOf<O extends OptionSpecs> = { readonly [K in keyof O]: z.output<O[K]["type"]> };

/** Identity helper that keeps the option's zod type precise for {@link ConfigOf}. */
export function option<T extends z.ZodType>(spec: OptionSpec<T>): OptionSpec<T> {
  return spec;
}

/**
 * Checks a set of options for mistakes in the declaration itself (bad flag or env names,
 * duplicates) and returns it unchanged. Throws a plain `Error`: these are programming errors.
 */
export function defineOptions<O extends OptionSpecs>(options: O): O {
  const flags = new Map<string, string>();
  const envs = new Map<string, string>();
  for (const [key, spec] of Object.entries(options)) {
    if (spec.flag === undefined && spec.env === undefined) {
      throw new Error(`option ${key}: needs a flag, an env var or both`);
    }
    if (spec.flag !== undefined) {
      if (!/^--[a-z0-9][a-z0-9-]*$/.test(spec.flag)) {
        throw new Error(`option ${key}: flag ${spec.flag} must look like --kebab-case`);
      }
      if (spec.flag === "--help" || spec.flag.startsWith("--no-")) {
        throw new Error(`option ${key}: flag ${spec.flag} is reserved`);
      }
      const other = flags.get(spec.flag);
      if (other !== undefined) throw new Error(`options ${other} and ${key} share flag ${spec.flag}`);
      flags.set(spec.flag, key);
    }
    if (spec.env !== undefined) {
      if (!/^[A-Z_][A-Z0-9_]*$/.test(spec.env)) {
        throw new Error(`option ${key}: env var ${spec.env} must be UPPER_SNAKE_CASE`);
      }
      const other = envs.get(spec.env);
      if (other !== undefined) throw new Error(`options ${other} and ${key} share env var ${spec.env}`);
      envs.set(spec.env, key);
    }
  }
  return options;
}

/** One problem found while reading configuration. */
export interface ConfigIssue {
  /** Key of the option concerned, absent for unknown flags and stray arguments. */
  readonly option?: string;
  /** Where the value came from, e.g. `flag --port` or `env SPREADOPS_GATEWAY_PORT`. */
  readonly source: string;
  /** The expected form, e.g. `an integer from 0 to 65535`. */
  readonly expected?: string;
  /** The value given, quoted, or `[REDACTED]` for secrets. */
  readonly given?: string;
  /** The whole sentence, as printed. */
  readonly message: string;
}

/** Configuration could not be read; {@link ConfigError.issues} lists every problem at once. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(
      issues.length === 1
        ? `invalid configuration: ${issues[0]?.message ?? ""}`
        : `invalid configuration:\n${issues.map((i) => `  - ${i.message}`).join("\n")}`,
    );
    this.issues = issues;
  }
}

/** Where configuration is read from; pass `process.argv.slice(2)` and `process.env` in main. */
export interface ConfigSources {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** True when the command line asks for help (`--help` or `-h` before any `--`). */
export function helpRequested(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === "--") return false;
    if (arg === "--help" || arg === "-h") return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// What a zod type expects, as far as coercion from text and messages are concerned.

type Kind =
  | { readonly kind: "string" }
  | { readonly kind: "url" }
  | { readonly kind: "number"; readonly integer: boolean; readonly min?: number; readonly max?: number }
  | { readonly kind: "boolean" }
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "duration" }
  | { readonly kind: "list"; readonly element: Kind }
  | { readonly kind: "other" };

type AnySchema = z.core.$ZodType;

function kindOf(schema: AnySchema): Kind {
  if (z.globalRegistry.get(schema)?.["configKind"] === "duration") return { kind: "duration" };
  if (
    schema instanceof z.ZodOptional ||
    schema instanceof z.ZodNullable ||
    schema instanceof z.ZodDefault ||
    schema instanceof z.ZodPrefault ||
    schema instanceof z.ZodNonOptional ||
    schema instanceof z.ZodReadonly ||
    schema instanceof z.ZodCatch
  ) {
    return kindOf(schema.def.innerType);
  }
  // A pipe's input side decides what text has to become.
  if (schema instanceof z.ZodPipe) return kindOf(schema.def.in);
  if (schema instanceof z.ZodURL) return { kind: "url" };
  if (schema instanceof z.ZodString) return { kind: "string" };
  if (schema instanceof z.ZodBoolean) return { kind: "boolean" };
  if (schema instanceof z.ZodNumber) {
    // Bounds implied by .int() (the safe-integer range) are noise in a message.
    const bound = (v: number | null): number | undefined =>
      v === null || !Number.isFinite(v) || Math.abs(v) >= Number.MAX_SAFE_INTEGER ? undefined : v;
    const min = bound(schema.minValue);
    const max = bound(schema.maxValue);
    return {
      kind: "number",
      integer: schema.format?.includes("int") ?? false,
      ...(min === undefined ? {} : { min }),
      ...(max === undefined ? {} : { max }),
    };
  }
  if (schema instanceof z.ZodEnum) return { kind: "enum", values: schema.options.map(String) };
  if (schema instanceof z.ZodLiteral) return { kind: "enum", values: [...schema.values].map(String) };
  if (schema instanceof z.ZodArray) return { kind: "list", element: kindOf(schema.def.element) };
  return { kind: "other" };
}

function expectedForm(kind: Kind): string {
  switch (kind.kind) {
    case "string":
      return "a string";
    case "url":
      return "a URL such as http://host:4318";
    case "boolean":
      return "true or false";
    case "enum":
      return `one of ${kind.values.join(", ")}`;
    case "duration":
      return DURATION_FORM;
    case "list":
      return `a comma-separated list, each ${expectedForm(kind.element)}`;
    case "other":
      return "a valid value";
    case "number": {
      const noun = kind.integer ? "an integer" : "a number";
      if (kind.min !== undefined && kind.max !== undefined) return `${noun} from ${kind.min} to ${kind.max}`;
      if (kind.min !== undefined) return `${noun} >= ${kind.min}`;
      if (kind.max !== undefined) return `${noun} <= ${kind.max}`;
      return noun;
    }
  }
}

function placeholder(kind: Kind): string {
  switch (kind.kind) {
    case "number":
      return kind.integer ? "<int>" : "<number>";
    case "boolean":
      return "";
    case "enum":
      return `<${kind.values.join("|")}>`;
    case "duration":
      return "<duration>";
    case "list":
      return "<a,b,...>";
    case "string":
      return "<string>";
    case "url":
      return "<url>";
    case "other":
      return "<value>";
  }
}

const TRUE_WORDS = new Set(["true", "1", "yes", "on"]);
const FALSE_WORDS = new Set(["false", "0", "no", "off"]);
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** Turns text into what the zod type wants, or `undefined` when the text cannot be that. */
function coerce(kind: Kind, text: string): { value: unknown } | undefined {
  switch (kind.kind) {
    case "number": {
      const trimmed = text.trim();
      return NUMBER_RE.test(trimmed) ? { value: Number(trimmed) } : undefined;
    }
    case "boolean": {
      const word = text.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return { value: true };
      if (FALSE_WORDS.has(word)) return { value: false };
      return undefined;
    }
    case "duration": {
      const ms = parseDuration(text);
      return ms === undefined ? undefined : { value: ms };
    }
    case "list": {
      const values: unknown[] = [];
      for (const part of text.split(",")) {
        const trimmed = part.trim();
        if (trimmed === "") continue;
        const coerced = coerce(kind.element, trimmed);
        if (coerced === undefined) return undefined;
        values.push(coerced.value);
      }
      return { value: values };
    }
    case "enum":
    case "string":
    case "url":
    case "other":
      return { value: text };
  }
}

// ---------------------------------------------------------------------------------------------
// Command line.

interface FlagValue {
  readonly text: string;
  readonly source: string;
}


function parseArgv(
  options: OptionSpecs,
  kinds: ReadonlyMap<string, Kind>,
  argv: readonly string[],
  issues: ConfigIssue[],
): Map<string, FlagValue> {
  const byFlag = new Map<string, string>();
  for (const [key, spec] of Object.entries(options)) {
    if (spec.flag !== undefined) byFlag.set(spec.flag, key);
  }
  const knownFlags = [...byFlag.keys(), "--help"];
  const values = new Map<string, FlagValue>();

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--help" || arg === "-h") continue;
    if (arg === "--") {
      for (const rest of argv.slice(i + 1)) {
        issues.push({ source: "command line", given: JSON.stringify(rest), message: `unexpected argument ${JSON.stringify(rest)}` });
      }
      break;
    }
    if (!arg.startsWith("-")) {
      issues.push({
        source: "command line",
        given: JSON.stringify(arg),
        message: `unexpected argument ${JSON.stringify(arg)}: options are given as --flag value or --flag=value`,
      });
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);

    let key = byFlag.get(flag);
    let negated = false;
    if (key === undefined && flag.startsWith("--no-")) {
      const positive = byFlag.get(`--${flag.slice(5)}`);
      if (positive !== undefined && kinds.get(positive)?.kind === "boolean") {
        key = positive;
        negated = true;
      }
    }
    if (key === undefined) {
      const hint = suggestClosest(flag, knownFlags);
      issues.push({
        source: `flag ${flag}`,
        message: `unknown flag ${flag}${hint === undefined ? "" : ` (did you mean ${hint}?)`}; see --help`,
      });
      continue;
    }
    const spec = options[key];
    const isBoolean = kinds.get(key)?.kind === "boolean";
    const source = `flag ${spec?.flag ?? flag}`;
    if (negated) {
      if (inline !== undefined) {
        issues.push({ option: key, source, message: `flag ${flag} takes no value` });
        continue;
      }
      values.set(key, { text: "false", source });
    } else if (inline !== undefined) {
      values.set(key, { text: inline, source });
    } else if (isBoolean) {
      // Boolean flags never swallow the next argument; --flag=false or --no-flag turn them off.
      values.set(key, { text: "true", source });
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) {
        const expected = expectedForm(kinds.get(key) ?? { kind: "other" });
        issues.push({ option: key, source, expected, message: `flag ${flag} needs a value: expected ${expected}` });
        continue;
      }
      values.set(key, { text: next, source });
      i++;
    }
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// Parsing.

const REDACTED = "[REDACTED]";

function shown(spec: OptionSpec, text: string): string {
  if (spec.secret === true) return REDACTED;
  const quoted = JSON.stringify(text);
  return quoted.length > 120 ? `${quoted.slice(0, 117)}..."` : quoted;
}

// Zod's own wording adds information for bounds and refinements; for type and enum mismatches it
// only repeats what the expected form already says.
function zodDetail(error: z.ZodError, kind: Kind): string | undefined {
  const issue = error.issues[0];
  if (issue === undefined) return undefined;
  if (issue.code === "invalid_type" || issue.code === "invalid_value") return undefined;
  if (kind.kind === "enum" || kind.kind === "boolean") return undefined;
  return issue.message;
}

function namesOf(spec: OptionSpec): string {
  const names: string[] = [];
  if (spec.env !== undefined) names.push(`env ${spec.env}`);
  if (spec.flag !== undefined) names.push(`flag ${spec.flag}`);
  return names.join(" or ");
}

/**
 * Reads configuration: flag over env over default, text coerced to each option's zod type, then
 * validated. Empty env vars count as unset. Pure: everything comes from `sources`.
 *
 * @throws {ConfigError} listing every bad value, missing required option, unknown flag and
 *   stray argument; messages name the flag or env var, the expected form and the value given
 *   (`[REDACTED]` for secrets).
 */
export function parseConfig<O extends OptionSpecs>(options: O, sources: ConfigSources): ConfigOf<O> {
  defineOptions(options);
  const kinds = new Map<string, Kind>();
  for (const [key, spec] of Object.entries(options)) kinds.set(key, kindOf(spec.type));

  const issues: ConfigIssue[] = [];
  const flagValues = parseArgv(options, kinds, sources.argv, issues);
  const config: Record<string, unknown> = {};

  for (const [key, spec] of Object.entries(options)) {
    const kind = kinds.get(key) ?? { kind: "other" };
    const expected = expectedForm(kind);
    const envText = spec.env === undefined ? undefined : sources.env[spec.env];
    const raw: FlagValue | undefined =
      flagValues.get(key) ??
      (envText !== undefined && envText !== "" && spec.env !== undefined
        ? { text: envText, source: `env ${spec.env}` }
        : undefined);

    let candidate: unknown;
    let source: string;
    let given: string;
    if (raw !== undefined) {
      source = raw.source;
      given = shown(spec, raw.text);
      const coerced = coerce(kind, raw.text);
      if (coerced === undefined) {
        issues.push({ option: key, source, expected, given, message: `invalid value for ${source}: expected ${expected}, got ${given}` });
        continue;
      }
      candidate = coerced.value;
    } else if (spec.default !== undefined) {
      source = `default of ${key}`;
      if (typeof spec.default === "string") {
        given = shown(spec, spec.default);
        const coerced = coerce(kind, spec.default);
        if (coerced === undefined) {
          issues.push({ option: key, source, expected, given, message: `invalid ${source}: expected ${expected}, got ${given}` });
          continue;
        }
        candidate = coerced.value;
      } else {
        candidate = spec.default;
        given = spec.secret === true ? REDACTED : JSON.stringify(spec.default);
      }
    } else {
      const result = spec.type.safeParse(undefined);
      if (result.success) {
        config[key] = result.data;
      } else {
        issues.push({
          option: key,
          source: namesOf(spec),
          expected,
          message: `missing required option ${key}: set ${namesOf(spec)} (expected ${expected})`,
        });
      }
      continue;
    }

    const result = spec.type.safeParse(candidate);
    if (result.success) {
      config[key] = result.data;
      continue;
    }
    const detail = zodDetail(result.error, kind);
    issues.push({
      option: key,
      source,
      expected,
      given,
      message: `invalid value for ${source}: expected ${expected}, got ${given}${detail === undefined ? "" : ` (${detail})`}`,
    });
  }

  if (issues.length > 0) throw new ConfigError(issues);
  return config as ConfigOf<O>;
}

// ---------------------------------------------------------------------------------------------
// Presentation.

function defaultText(spec: OptionSpec, kind: Kind): string {
  if (spec.default === undefined) {
    return spec.type.safeParse(undefined).success ? "none" : "required";
  }
  if (spec.secret === true) return "(hidden)";
  const value: unknown = spec.default;
  if (Array.isArray(value)) return value.map(String).join(",");
  if (kind.kind === "duration" && typeof value === "number") return formatDuration(value);
  if (typeof value === "string") return value === "" ? '""' : value;
  return JSON.stringify(value);
}

/** What {@link renderHelp} prints above and below the option list. */
export interface HelpText {
  /** Program name for the usage line, e.g. `spreadops-gateway`. */
  readonly program: string;
  /** A sentence or two about the service. */
  readonly summary?: string;
}

/**
 * Renders `--help`: every option with its flag, env var, default and description, plus the
 * precedence rule.
 */
export function renderHelp(options: OptionSpecs, text: HelpText): string {
  const lines: string[] = [`Usage: ${text.program} [flags]`, ""];
  if (text.summary !== undefined) lines.push(text.summary, "");
  lines.push("Options (a flag overrides its env var, which overrides the default):", "");
  for (const spec of Object.values(options)) {
    const kind = kindOf(spec.type);
    let flag = "(env only)";
    if (spec.flag !== undefined) {
      flag = kind.kind === "boolean" ? `--[no-]${spec.flag.slice(2)}` : `${spec.flag} ${placeholder(kind)}`;
    }
    const env = spec.env === undefined ? "(flag only)" : `env ${spec.env}`;
    lines.push(`  ${flag.padEnd(38)} ${env}`);
    const facts = [`default: ${defaultText(spec, kind)}`];
    if (kind.kind !== "enum" && kind.kind !== "string" && kind.kind !== "url" && kind.kind !== "other") facts.push(`expects ${expectedForm(kind)}`);
    if (spec.secret === true) facts.push("secret");
    lines.push(`      ${spec.description}`, `      ${facts.join("; ")}`);
  }
  lines.push("  -h, --help", "      Show this help and exit.", "");
  return lines.join("\n");
}

/**
 * The parsed config as a plain object fit for a startup log line: secrets that are set become
 * `[REDACTED]`, options with `logAs` appear as it shows them, durations stay in milliseconds.
 */
export function describeConfig<O extends OptionSpecs>(options: O, config: ConfigOf<O>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const values = config as Readonly<Record<string, unknown>>;
  for (const [key, spec] of Object.entries(options)) {
    const value = values[key];
    if (value === undefined) out[key] = value;
    else if (spec.secret === true) out[key] = REDACTED;
    else if (spec.logAs !== undefined) out[key] = spec.logAs(value);
    else out[key] = value;
  }
  return out;
}
