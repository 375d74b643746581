/**
 * What the chart checks share: the install scenarios (charts/spreadops/ci/*-values.yaml), the
 * values each one resolves to, accessors for rendered objects, and the `spreadops <cmd> --help`
 * of the real CLI.
 */
import { execFile } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { CHART_DIR, REPO_ROOT, type KubeObject } from "../helm.js";

export const CI_DIR = join(CHART_DIR, "ci");

/** One install scenario: a values file under charts/spreadops/ci. */
export interface Scenario {
  /** The file name, e.g. `default-values.yaml`. */
  readonly name: string;
  /** Absolute path of the values file. */
  readonly file: string;
  /** values.yaml merged with the scenario file as helm does (maps merge, everything else replaces). */
  readonly values: Values;
}

/** A values tree. */
export type Values = Record<string, unknown>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Helm's coalescing of values files: nested maps merge, lists and scalars replace. */
export function mergeValues(base: Values, override: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = isRecord(current) && isRecord(value) ? mergeValues(current, value) : value;
  }
  return out;
}

function readYamlMap(file: string): Values {
  const value: unknown = parse(readFileSync(file, "utf8"));
  if (value === null || value === undefined) return {};
  if (!isRecord(value)) throw new Error(`${file} is not a YAML map`);
  return value;
}

/** The chart's defaults (values.yaml). */
export function defaultValues(): Values {
  return readYamlMap(join(CHART_DIR, "values.yaml"));
}

/** Every `ci/*-values.yaml`, sorted by name. */
export function scenarios(): Scenario[] {
  const defaults = defaultValues();
  return readdirSync(CI_DIR)
    .filter((name) => name.endsWith("-values.yaml"))
    .sort()
    .map((name) => {
      const file = join(CI_DIR, name);
      return { name, file, values: mergeValues(defaults, readYamlMap(file)) };
    });
}

/** The value at a dotted path (`sim.enabled`), or undefined. */
export function valueAt(values: Values, path: string): unknown {
  let current: unknown = values;
  for (const key of path.split(".")) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** A record at a path of any object (e.g. `spec.template.spec`); throws when absent. */
export function recordAt(object: unknown, path: string): Record<string, unknown> {
  let current: unknown = object;
  for (const key of path.split(".")) {
    if (!isRecord(current)) throw new Error(`no ${path}: ${key} is not inside a map`);
    current = current[key];
  }
  if (!isRecord(current)) throw new Error(`${path} is not a map`);
  return current;
}

/** An array at a path of any object; [] when absent. */
export function arrayAt(object: unknown, path: string): unknown[] {
  let current: unknown = object;
  for (const key of path.split(".")) {
    if (!isRecord(current)) return [];
    current = current[key];
  }
  return Array.isArray(current) ? current : [];
}

export function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === "string") out[key] = entry;
  }
  return out;
}

export function ofKind(objects: readonly KubeObject[], kind: string): KubeObject[] {
  return objects.filter((object) => object.kind === kind);
}

/** The component label of an object, or "". */
export function componentOf(object: KubeObject): string {
  return object.metadata.labels?.["app.kubernetes.io/component"] ?? "";
}

/** A pod template (Deployment) or pod (Pod) with the owner it came from. */
export interface PodSpecOf {
  readonly owner: KubeObject;
  readonly labels: Record<string, string>;
  readonly spec: Record<string, unknown>;
}

/** The pod specs of every Deployment and bare Pod (helm test hooks). */
export function podSpecs(objects: readonly KubeObject[]): PodSpecOf[] {
  const out: PodSpecOf[] = [];
  for (const object of objects) {
    if (object.kind === "Deployment") {
      out.push({ owner: object, labels: stringMap(recordAt(object, "spec.template.metadata")["labels"]), spec: recordAt(object, "spec.template.spec") });
    } else if (object.kind === "Pod") {
      out.push({ owner: object, labels: object.metadata.labels ?? {}, spec: recordAt(object, "spec") });
    }
  }
  return out;
}

/** A container of a pod spec. */
export interface Container {
  readonly name: string;
  readonly args?: unknown;
  readonly command?: unknown;
  readonly env?: unknown;
  readonly [key: string]: unknown;
}

export function containersOf(spec: Record<string, unknown>): Container[] {
  return [...arrayAt(spec, "initContainers"), ...arrayAt(spec, "containers")].map((value) => {
    if (!isRecord(value) || typeof value["name"] !== "string") throw new Error("a container without a name");
    return value as Container;
  });
}

/** One env entry of a container. */
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: Record<string, unknown>;
}

export function envOf(container: Container): EnvVar[] {
  return arrayAt(container, "env").map((value) => {
    if (!isRecord(value) || typeof value["name"] !== "string") throw new Error(`container ${container.name}: an env entry without a name`);
    return value as unknown as EnvVar;
  });
}

/** The literal value of an env var of a container, or undefined (absent or valueFrom). */
export function envValue(container: Container, name: string): string | undefined {
  return envOf(container).find((entry) => entry.name === name)?.value;
}

/** True when every key/value of `selector` is among `labels` (an empty selector matches all). */
export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/** The sub-commands every container may run, and the services they are (the chart's components). */
export const SERVICE_COMMANDS = ["gateway", "scanner", "strategy", "execution", "controller", "console", "sim"] as const;
export type ServiceCommand = (typeof SERVICE_COMMANDS)[number];

/** What `spreadops <command> --help` says: the text, and the env var names it declares. */
export interface CommandHelp {
  readonly command: string;
  readonly text: string;
  /** Names after `env ` in the option list (`--port <int>   env SPREADOPS_GATEWAY_PORT`). */
  readonly envVars: ReadonlySet<string>;
  /** The value form of each env var: `int`, `duration`, `a|b|c`, `boolean` (a `--[no-]` flag), … */
  readonly forms: ReadonlyMap<string, string>;
  /** Env vars of options the help marks `secret` (`default: none; secret`): never a literal value. */
  readonly secrets: ReadonlySet<string>;
}

/** Parses the option list of a `--help` text (see CommandHelp). */
export function parseHelp(command: string, text: string): CommandHelp {
  const envVars = new Set<string>();
  const forms = new Map<string, string>();
  const secrets = new Set<string>();
  // One block per option: its `  --flag <form>   env NAME` line and the indented lines below it.
  for (const block of text.split(/^(?= {2}-)/m)) {
    const match = /^ {2}--(\[no-\])?[a-z][a-z0-9-]*(?: <([^>]+)>)?\s+env ([A-Z_][A-Z0-9_]*)\s*$/m.exec(block);
    const name = match?.[3];
    if (match === null || name === undefined) continue;
    envVars.add(name);
    forms.set(name, match[1] !== undefined ? "boolean" : (match[2] ?? "string"));
    if (/^ {6}default: .*; secret\b/m.test(block)) secrets.add(name);
  }
  return { command, text, envVars, forms, secrets };
}

export const CLI_MAIN = join(REPO_ROOT, "services", "cli", "dist", "main.js");

/** Runs the built CLI's `<command> --help` (needs `npm run build`). */
export function commandHelp(command: string): Promise<CommandHelp> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI_MAIN, command, "--help"], { cwd: REPO_ROOT, timeout: 30_000, encoding: "utf8", env: { PATH: process.env["PATH"] ?? "" } }, (error, stdout, stderr) => {
      if (error !== null) {
        reject(new Error(`spreadops ${command} --help failed (is the CLI built? npm run build): ${error.message}\n${stderr}`));
        return;
      }
      resolve(parseHelp(command, stdout));
    });
  });
}

/** The top-level sub-commands `spreadops --help` lists. */
export function topLevelCommands(): Promise<Set<string>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI_MAIN, "--help"], { cwd: REPO_ROOT, timeout: 30_000, encoding: "utf8" }, (error, stdout) => {
      if (error !== null) {
        reject(error instanceof Error ? error : new Error("execFile failed", { cause: error }));
        return;
      }
      const names = new Set<string>();
      for (const match of stdout.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)) {
        if (match[1] !== undefined) names.add(match[1]);
      }
      resolve(names);
    });
  });
}
