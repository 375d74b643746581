/**
 * Presets of the editor: save the form as a preset, load one into the form, rename, delete,
 * export as YAML (a file download), import YAML (a file or pasted text; a spec or a whole
 * Strategy manifest). Presets live in this browser's localStorage only.
 */
import { useEffect, useId, useState } from "react";
import { dateTime, parseTime } from "../../components/format";
import { PresetError, PRESETS_KEY, PresetStore, parseSpecYaml, type Preset, type PresetsLoad } from "./presets";
import { SPEC_TREE, STRATEGY_SPEC_JSON } from "./schema-fields";
import { specYaml } from "./yaml-diff";

let shared: PresetStore | undefined;

/** The browser's preset store (localStorage). */
export function presetStore(): PresetStore {
  shared ??= new PresetStore(localStorage);
  return shared;
}

const SPEC_KEYS = SPEC_TREE.children.map((c) => c.key);

/** The presets, re-read on every change (this tab or, through the storage event, another one). */
export function usePresets(store: PresetStore): PresetsLoad {
  const [version, setVersion] = useState(0);
  useEffect(() => store.subscribe(() => { setVersion((v) => v + 1); }), [store]);
  useEffect(() => {
    const onStorage = (e: StorageEvent) => { if (e.key === PRESETS_KEY) setVersion((v) => v + 1); };
    addEventListener("storage", onStorage);
    return () => { removeEventListener("storage", onStorage); };
  }, []);
  // Storage is re-read on a change only, not on every render.
  const [loaded, setLoaded] = useState<{ version: number; value: PresetsLoad }>(() => ({ version, value: store.load() }));
  if (loaded.version !== version) {
    const value = store.load();
    setLoaded({ version, value });
    return value;
  }
  return loaded.value;
}

const safeFileName = (name: string): string => name.replace(/[\\/:*?"<>|\s]+/g, "-").replace(/^-+|-+$/g, "") || "strategy";

/** Downloads `text` as `<name>.yaml` through a temporary <a download>. */
export function downloadYaml(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = `${safeFileName(name)}.yaml`;
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => { URL.revokeObjectURL(url); }, 1000);
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function PresetsPanel({ currentSpec, defaultName, onLoad, store = presetStore() }: {
  /** The form's spec as it would be sent (unset fields absent). */
  currentSpec: Record<string, unknown>;
  /** Suggested name for a new preset (the Strategy's name). */
  defaultName: string;
  onLoad: (preset: Preset) => void;
  store?: PresetStore;
}) {
  const { presets, problem } = usePresets(store);
  const id = useId();
  const [saveName, setSaveName] = useState(defaultName);
  const [saveError, setSaveError] = useState<string | undefined>(undefined);
  const [overwrite, setOverwrite] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [renaming, setRenaming] = useState<{ name: string; draft: string; error?: string } | undefined>(undefined);
  const [deleting, setDeleting] = useState<string | undefined>(undefined);
  const [paste, setPaste] = useState("");
  const [importError, setImportError] = useState<string | undefined>(undefined);
  const [imported, setImported] = useState<string | undefined>(undefined);

  const save = (force: boolean) => {
    setSaveError(undefined);
    setOverwrite(undefined);
    try {
      const preset = store.save(saveName, currentSpec, { overwrite: force });
      setStatus(`Saved the form as preset “${preset.name}”.`);
    } catch (e) {
      setSaveError(messageOf(e));
      if (e instanceof PresetError && /exists already/.test(e.message)) setOverwrite(saveName.trim());
    }
  };

  const importYaml = (text: string, fallbackName: string) => {
    setImportError(undefined);
    setImported(undefined);
    try {
      const { spec, suggestedName } = parseSpecYaml(text, SPEC_KEYS);
      const name = store.freeName(suggestedName ?? (fallbackName.trim() === "" ? "imported" : fallbackName.trim()));
      store.save(name, spec);
      setImported(name);
      setStatus(`Imported as preset “${name}”.`);
      setPaste("");
    } catch (e) {
      setImportError(messageOf(e));
    }
  };

  return (
    <section className="panel presets" data-testid="presets" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Presets</h2>
      <p className="hint">Drafts kept in this browser only. Loading one fills the form; it still needs Review and Save.</p>
      {problem === undefined ? null : <p className="error" role="alert">{problem}</p>}
      {status === undefined ? null : <p className="notice good" role="status">{status}{imported === undefined ? null : <> <button type="button" className="link" onClick={() => { const p = store.get(imported); if (p !== undefined) onLoad(p); }}>Load it into the form</button></>}</p>}

      <div className="preset-save row">
        <label className="grow">Preset name
          <input type="text" value={saveName} maxLength={100} onChange={(e) => { setSaveName(e.target.value); setSaveError(undefined); setOverwrite(undefined); }}
            data-testid="preset-name" aria-invalid={saveError !== undefined} aria-describedby={saveError === undefined ? undefined : `${id}-save-error`} />
        </label>
        <button type="button" onClick={() => { save(false); }} data-testid="preset-save">Save form as preset</button>
        <button type="button" onClick={() => { downloadYaml(saveName.trim() === "" ? defaultName : saveName, specYaml(STRATEGY_SPEC_JSON, currentSpec)); }}>Export form as YAML</button>
      </div>
      {saveError === undefined ? null : (
        <p id={`${id}-save-error`} className="error" role="alert">
          {saveError}
          {overwrite === undefined ? null : <> <button type="button" className="link" onClick={() => { save(true); }} data-testid="preset-overwrite">Overwrite “{overwrite}”</button></>}
        </p>
      )}

      {presets.length === 0 ? <p className="empty">No presets yet.</p> : (
        <ul className="preset-list">
          {presets.map((p) => (
            <li key={p.name} data-testid={`preset-${p.name}`}>
              {renaming?.name === p.name ? (
                <form className="row" onSubmit={(e) => {
                  e.preventDefault();
                  try { store.rename(p.name, renaming.draft); setRenaming(undefined); setStatus(`Renamed to “${renaming.draft.trim()}”.`); } catch (err) { setRenaming({ ...renaming, error: messageOf(err) }); }
                }}>
                  <label className="grow">New name for “{p.name}”
                    <input type="text" value={renaming.draft} maxLength={100} autoFocus onChange={(e) => { setRenaming({ name: p.name, draft: e.target.value }); }}
                      aria-invalid={renaming.error !== undefined} aria-describedby={renaming.error === undefined ? undefined : `${id}-rename-error`} data-testid={`preset-rename-input-${p.name}`} />
                  </label>
                  <button type="submit" className="primary">Rename</button>
                  <button type="button" onClick={() => { setRenaming(undefined); }}>Cancel</button>
                  {renaming.error === undefined ? null : <p id={`${id}-rename-error`} className="error" role="alert">{renaming.error}</p>}
                </form>
              ) : deleting === p.name ? (
                <div className="row">
                  <span>Delete preset “{p.name}”? This cannot be undone (export it first to keep a copy).</span>
                  <button type="button" className="danger" onClick={() => { try { store.delete(p.name); setStatus(`Deleted “${p.name}”.`); } catch (err) { setStatus(messageOf(err)); } setDeleting(undefined); }} data-testid={`preset-delete-confirm-${p.name}`}>Delete</button>
                  <button type="button" onClick={() => { setDeleting(undefined); }}>Keep</button>
                </div>
              ) : (
                <div className="row">
                  <span className="preset-name">{p.name}</span>
                  <span className="hint">saved {dateTime(parseTime(p.savedAt))}</span>
                  <span className="spacer" />
                  <button type="button" onClick={() => { onLoad(p); }} data-testid={`preset-load-${p.name}`} aria-label={`Load preset ${p.name} into the form`}>Load</button>
                  <button type="button" onClick={() => { setRenaming({ name: p.name, draft: p.name }); }} data-testid={`preset-rename-${p.name}`} aria-label={`Rename preset ${p.name}`}>Rename</button>
                  <button type="button" onClick={() => { downloadYaml(p.name, specYaml(STRATEGY_SPEC_JSON, p.spec)); }} data-testid={`preset-export-${p.name}`} aria-label={`Export preset ${p.name} as YAML`}>Export</button>
                  <button type="button" onClick={() => { setDeleting(p.name); }} data-testid={`preset-delete-${p.name}`} aria-label={`Delete preset ${p.name}`}>Delete</button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}

      <h3>Import YAML</h3>
      <p className="hint">A Strategy spec, or a whole Strategy manifest (its spec is taken).</p>
      <label>YAML file
        <input type="file" accept=".yaml,.yml" data-testid="preset-import-file" onChange={(e) => {
          const input = e.target;
          const file = input.files?.[0];
          if (file === undefined) return;
          file.text().then((text) => { importYaml(text, file.name.replace(/\.ya?ml$/i, "")); }, (err: unknown) => { setImportError(`Could not read ${file.name}: ${messageOf(err)}`); }).finally(() => { input.value = ""; });
        }} />
      </label>
      <label>Or paste YAML
        <textarea rows={5} value={paste} spellCheck={false} onChange={(e) => { setPaste(e.target.value); setImportError(undefined); }} data-testid="preset-paste"
          aria-invalid={importError !== undefined} aria-describedby={importError === undefined ? undefined : `${id}-import-error`} />
      </label>
      <div className="actions">
        <button type="button" disabled={paste.trim() === ""} onClick={() => { importYaml(paste, defaultName === "" ? "imported" : `${defaultName} (imported)`); }} data-testid="preset-import">Import pasted YAML</button>
      </div>
      {importError === undefined ? null : <p id={`${id}-import-error`} className="error" role="alert">{importError}</p>}
    </section>
  );
}
