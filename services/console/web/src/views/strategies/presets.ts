/**
 * Spec presets kept in the browser (localStorage "spreadops.console.presets", JSON
 * `{version: 1, presets: [{name, spec, savedAt}]}`), and their YAML import/export. A preset is a
 * draft: loading one fills the editor, which still needs Review and Save.
 */
import { parse, parseAllDocuments } from "yaml";

export const PRESETS_KEY = "spreadops.console.presets";
export const PRESETS_VERSION = 1;

export interface Preset {
  readonly name: string;
  readonly spec: Record<string, unknown>;
  /** RFC 3339. */
  readonly savedAt: string;
}

export interface PresetsLoad {
  readonly presets: readonly Preset[];
  /** Why the stored value was not (fully) readable; the store then refuses to overwrite it. */
  readonly problem?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Reads the stored JSON; null (nothing stored) is no presets. Malformed entries are skipped and reported. */
export function parsePresets(text: string | null): PresetsLoad {
  if (text === null || text === "") return { presets: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { presets: [], problem: "The stored presets are not valid JSON; they are left untouched." };
  }
  if (!isObject(data) || !Array.isArray(data.presets)) return { presets: [], problem: "The stored presets have an unknown shape; they are left untouched." };
  if (data.version !== PRESETS_VERSION) return { presets: [], problem: `The stored presets are format version ${JSON.stringify(data.version)}, this console reads version ${PRESETS_VERSION}; they are left untouched.` };
  const presets: Preset[] = [];
  let skipped = 0;
  const seen = new Set<string>();
  for (const entry of data.presets as unknown[]) {
    if (isObject(entry) && typeof entry.name === "string" && entry.name.trim() !== "" && isObject(entry.spec) && !seen.has(entry.name)) {
      presets.push({ name: entry.name, spec: entry.spec, savedAt: typeof entry.savedAt === "string" ? entry.savedAt : "" });
      seen.add(entry.name);
    } else {
      skipped++;
    }
  }
  return skipped === 0 ? { presets } : { presets, problem: `${skipped} stored preset(s) could not be read and were left out.` };
}

export function serializePresets(presets: readonly Preset[]): string {
  return JSON.stringify({ version: PRESETS_VERSION, presets: presets.map((p) => ({ name: p.name, spec: p.spec, savedAt: p.savedAt })) });
}

export class PresetError extends Error {
  override readonly name = "PresetError";
}

/** The part of Storage the store uses (localStorage in the browser, a Map-backed stub in tests). */
export type PresetStorage = Pick<Storage, "getItem" | "setItem">;

/** Presets by name, sorted by name; every change is written through at once. */
export class PresetStore {
  readonly #storage: PresetStorage;
  readonly #listeners = new Set<() => void>();

  constructor(storage: PresetStorage) {
    this.#storage = storage;
  }

  load(): PresetsLoad {
    const loaded = parsePresets(this.#storage.getItem(PRESETS_KEY));
    return { ...loaded, presets: [...loaded.presets].sort((a, b) => a.name.localeCompare(b.name)) };
  }

  list(): readonly Preset[] {
    return this.load().presets;
  }

  get(name: string): Preset | undefined {
    return this.list().find((p) => p.name === name);
  }

  /** Adds a preset; a taken name is an error unless `overwrite`. */
  save(name: string, spec: Record<string, unknown>, options: { overwrite?: boolean; now?: Date } = {}): Preset {
    const clean = checkName(name);
    const current = this.#writable();
    if (!options.overwrite && current.some((p) => p.name === clean)) throw new PresetError(`A preset named “${clean}” exists already; choose another name or overwrite it.`);
    const preset: Preset = { name: clean, spec: structuredClone(spec), savedAt: (options.now ?? new Date()).toISOString() };
    this.#write([...current.filter((p) => p.name !== clean), preset]);
    return preset;
  }

  rename(from: string, to: string): void {
    const clean = checkName(to);
    const current = this.#writable();
    const preset = current.find((p) => p.name === from);
    if (preset === undefined) throw new PresetError(`There is no preset named “${from}”.`);
    if (clean === from) return;
    if (current.some((p) => p.name === clean)) throw new PresetError(`A preset named “${clean}” exists already; choose another name.`);
    this.#write(current.map((p) => (p.name === from ? { ...p, name: clean } : p)));
  }

  delete(name: string): void {
    const current = this.#writable();
    this.#write(current.filter((p) => p.name !== name));
  }

  /** `base`, or "base (2)", "base (3)", … — the first name not taken. */
  freeName(base: string): string {
    const taken = new Set(this.list().map((p) => p.name));
    if (!taken.has(base)) return base;
    for (let i = 2; ; i++) if (!taken.has(`${base} (${i})`)) return `${base} (${i})`;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => { this.#listeners.delete(listener); };
  }

  #writable(): Preset[] {
    const loaded = this.load();
    if (loaded.problem !== undefined && loaded.presets.length === 0 && this.#storage.getItem(PRESETS_KEY) !== null) {
      throw new PresetError(`${loaded.problem} Remove the "${PRESETS_KEY}" entry in the browser's storage to start over.`);
    }
    return [...loaded.presets];
  }

  #write(presets: Preset[]): void {
    try {
      this.#storage.setItem(PRESETS_KEY, serializePresets(presets));
    } catch (e) {
      throw new PresetError(`The browser refused to store the presets: ${e instanceof Error ? e.message : String(e)}`);
    }
    for (const listener of this.#listeners) listener();
  }
}

function checkName(name: string): string {
  const clean = name.trim();
  if (clean === "") throw new PresetError("Give the preset a name.");
  if (clean.length > 100) throw new PresetError("A preset name has at most 100 characters.");
  return clean;
}

const MANIFEST_KEYS = ["apiVersion", "kind", "metadata", "spec", "status"] as const;

export interface ImportedSpec {
  readonly spec: Record<string, unknown>;
  /** metadata.name of an imported manifest, to name the preset. */
  readonly suggestedName?: string;
}

const typeName = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "a mapping" : `a ${typeof v}`);

/**
 * Reads YAML holding a Strategy spec, or a whole Strategy manifest (its `.spec` is taken).
 * `specKeys` are the spec's top-level keys (from the schema); any other key is refused by name.
 */
export function parseSpecYaml(text: string, specKeys: readonly string[]): ImportedSpec {
  if (text.trim() === "") throw new PresetError("The YAML is empty.");
  const documents = parseAllDocuments(text);
  const docs = Array.isArray(documents) ? documents : [documents];
  const nonEmpty = docs.filter((d) => d.contents !== null);
  if (nonEmpty.length > 1) throw new PresetError(`The YAML holds ${nonEmpty.length} documents; import one Strategy at a time.`);
  let data: unknown;
  try {
    data = parse(text, { uniqueKeys: true });
  } catch (e) {
    throw new PresetError(`Not valid YAML: ${e instanceof Error ? e.message.split("\n")[0] ?? "" : String(e)}`);
  }
  if (!isObject(data)) throw new PresetError(`Expected a Strategy spec or a Strategy manifest (a mapping), got ${typeName(data)}.`);

  const looksLikeManifest = "spec" in data || "apiVersion" in data || "kind" in data;
  if (looksLikeManifest) {
    for (const key of Object.keys(data)) {
      if (!(MANIFEST_KEYS as readonly string[]).includes(key)) throw new PresetError(`Unknown top-level key “${key}” in a Strategy manifest; expected ${MANIFEST_KEYS.join(", ")}.`);
    }
    if (data.kind !== undefined && data.kind !== "Strategy") throw new PresetError(`This is a ${typeof data.kind === "string" ? data.kind : JSON.stringify(data.kind)}, not a Strategy.`);
    if (!isObject(data.spec)) throw new PresetError(`The manifest's spec must be a mapping, got ${typeName(data.spec)}.`);
    checkSpecKeys(data.spec, specKeys);
    const name = isObject(data.metadata) && typeof data.metadata.name === "string" ? data.metadata.name : undefined;
    return name === undefined ? { spec: data.spec } : { spec: data.spec, suggestedName: name };
  }
  checkSpecKeys(data, specKeys);
  return { spec: data };
}

function checkSpecKeys(spec: Record<string, unknown>, specKeys: readonly string[]): void {
  for (const key of Object.keys(spec)) {
    if (!specKeys.includes(key)) throw new PresetError(`Unknown top-level key “${key}”; a Strategy spec has ${specKeys.join(", ")}.`);
  }
}
