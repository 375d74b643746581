/**
 * Create or edit a Strategy: the schema-driven form, instant client-side checks, a debounced
 * server check (CheckStrategy: schema + CEL + strategy-service rules), presets, a YAML diff
 * to review, and SaveStrategy with the resourceVersion the edit started from.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type { StrategyResource } from "@spreadops/resources/schema";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useClients, useSession } from "../../api/context";
import { useResources } from "../../api/resources";
import { Link } from "../../app/router";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Freshness } from "../../components/Freshness";
import { explainMutationError } from "../../components/mutation";
import { problemCount, validateSpec } from "./constraints";
import { DiffView } from "./DiffView";
import { NAME_PATH, nameProblems, placeServerViolations, saveBlockers, type CheckStatus } from "./editor-model";
import { describedBy, FieldErrors } from "./inputs";
import type { Preset } from "./presets";
import { presetStore, PresetsPanel } from "./PresetsPanel";
import { fieldId, focusField, SchemaForm } from "./SchemaForm";
import { SPEC_TREE, STRATEGY_SPEC_JSON } from "./schema-fields";
import { newSpec, toServerSpec } from "./spec-model";
import { mergeProblems, type Violation } from "./violations";
import { specYaml } from "./yaml-diff";

/** Debounce of the server check after the last edit. */
const CHECK_DELAY_MS = 300;

interface CheckState {
  readonly status: CheckStatus;
  readonly violations: readonly Violation[];
  readonly error?: string;
}

interface Base {
  /** The stored spec the edit started from (undefined when creating). */
  readonly spec: Record<string, unknown> | undefined;
  /** Its resourceVersion ("" when creating). */
  readonly version: string;
  readonly generation: number | undefined;
}

const clone = <T,>(v: T): T => structuredClone(v);
const asRecord = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export type EditorMode =
  | { readonly kind: "edit"; readonly name: string; readonly stored: StrategyResource }
  | { readonly kind: "create"; readonly from?: Record<string, unknown> | undefined; readonly fromName?: string | undefined };

export function StrategyEditor({ mode, onSaved, onCancel }: {
  mode: EditorMode;
  onSaved: (name: string) => void;
  onCancel: () => void;
}) {
  const clients = useClients();
  const session = useSession();
  const { strategies, stream } = useResources();
  const creating = mode.kind === "create";
  const stored = mode.kind === "edit" ? strategies.find((s) => s.metadata.name === mode.name) : undefined;

  const [base, setBase] = useState<Base>(() => mode.kind === "edit"
    ? { spec: clone(asRecord(mode.stored.spec)), version: mode.stored.metadata.resourceVersion ?? "", generation: mode.stored.metadata.generation }
    : { spec: undefined, version: "", generation: undefined });
  const [spec, setSpec] = useState<unknown>(() => (mode.kind === "edit" ? clone(asRecord(mode.stored.spec)) : mode.from !== undefined ? clone(mode.from) : newSpec(SPEC_TREE)));
  const [startYaml, setStartYaml] = useState(() => specYaml(STRATEGY_SPEC_JSON, toServerSpec(SPEC_TREE, spec)));
  const [name, setName] = useState(mode.kind === "edit" ? mode.name : "");
  const [check, setCheck] = useState<CheckState>({ status: "idle", violations: [] });
  const [reviewing, setReviewing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<{ message: string; aborted: boolean } | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(mode.kind === "create" && mode.fromName !== undefined ? `Starting from a copy of “${mode.fromName}”.` : undefined);
  const [pendingLoad, setPendingLoad] = useState<Preset | undefined>(undefined);
  const reviewRef = useRef<HTMLHeadingElement>(null);

  const change = useCallback((update: (s: unknown) => unknown) => { setSpec((s: unknown) => update(s)); setSaveError(undefined); }, []);

  // What would be sent; unset and set-but-empty fields are not in it.
  const serverSpec = useMemo(() => toServerSpec(SPEC_TREE, spec), [spec]);
  const serverJson = useMemo(() => JSON.stringify(serverSpec), [serverSpec]);
  const afterYaml = useMemo(() => specYaml(STRATEGY_SPEC_JSON, serverSpec), [serverSpec]);
  const beforeYaml = useMemo(() => (base.spec === undefined ? "" : specYaml(STRATEGY_SPEC_JSON, base.spec)), [base]);
  const changed = afterYaml !== beforeYaml;
  const dirty = afterYaml !== startYaml || (creating && name !== "");

  // Instant checks with the schema's rules.
  const existingNames = useMemo(() => strategies.map((s) => s.metadata.name), [strategies]);
  const clientProblems = useMemo(() => {
    const problems = validateSpec(SPEC_TREE, spec);
    if (creating) {
      const n = nameProblems(name, existingNames);
      if (n.length > 0) problems.set(NAME_PATH, n);
    }
    return problems;
  }, [spec, name, creating, existingNames]);

  // The server's check, 300 ms after the last edit; a newer edit cancels the one in flight.
  useEffect(() => {
    const controller = new AbortController();
    setCheck((c) => ({ status: "pending", violations: c.violations }));
    const timer = setTimeout(() => {
      clients.console.checkStrategy({ name, spec: JSON.parse(serverJson) as typeof serverSpec }, { signal: controller.signal }).then(
        (response) => { setCheck({ status: "done", violations: response.violations.map((v) => ({ field: v.field, message: v.message })) }); },
        (e: unknown) => { if (!controller.signal.aborted) setCheck({ status: "error", violations: [], error: explainMutationError(e) }); },
      );
    }, CHECK_DELAY_MS);
    return () => { clearTimeout(timer); controller.abort(); };
  }, [clients, name, serverJson]);

  const server = useMemo(
    () => placeServerViolations(check.violations, { tree: SPEC_TREE, spec, creating, clientPaths: new Set([...clientProblems.keys()].filter((k) => (clientProblems.get(k)?.length ?? 0) > 0)) }),
    [check.violations, spec, creating, clientProblems],
  );
  const problems = useMemo(() => mergeProblems(clientProblems, server.byField), [clientProblems, server]);
  // Problems of the spec as a whole ("" path) have no field: they join the summary.
  const rootProblems = problems.get("") ?? [];
  const fieldProblems = useMemo(() => new Map([...problems].filter(([path]) => path !== "")), [problems]);
  const total = problemCount(problems) + server.rest.length;
  const signedIn = session.token !== undefined;
  const blockers = saveBlockers({ signedIn, problems: total, check: check.status, changed, creating, saving });

  // Unsaved edits: the browser asks before leaving the page.
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => { e.preventDefault(); };
    addEventListener("beforeunload", onBeforeUnload);
    return () => { removeEventListener("beforeunload", onBeforeUnload); };
  }, [dirty]);

  useEffect(() => { if (reviewing) reviewRef.current?.focus(); }, [reviewing]);

  const applyPreset = (preset: Preset) => {
    setSpec(clone(preset.spec));
    setPendingLoad(undefined);
    setSaveError(undefined);
    setNotice(`Loaded preset “${preset.name}” into the form. Review and save to apply it.`);
  };
  const requestLoad = (preset: Preset) => { if (dirty) setPendingLoad(preset); else applyPreset(preset); };

  const unsavedName = `${name} (unsaved)`;
  const reloadStored = () => {
    if (stored === undefined) return;
    let keptAs: string;
    try {
      keptAs = presetStore().freeName(unsavedName);
      presetStore().save(keptAs, serverSpec);
    } catch (e) {
      setSaveError({ message: `Could not keep your edits as a preset (${e instanceof Error ? e.message : String(e)}); nothing was reloaded.`, aborted: true });
      return;
    }
    const fresh = clone(asRecord(stored.spec));
    setBase({ spec: fresh, version: stored.metadata.resourceVersion ?? "", generation: stored.metadata.generation });
    setSpec(clone(fresh));
    setStartYaml(specYaml(STRATEGY_SPEC_JSON, fresh));
    setSaveError(undefined);
    setReviewing(false);
    setNotice(`Reloaded the stored version. Your edits are kept as the preset “${keptAs}”.`);
  };

  // After a refusal caused by a status-only change (the stored spec is still the one the edit
  // started from), the edits can go on top of the current version without losing anything.
  const storedSpecYaml = stored === undefined ? undefined : specYaml(STRATEGY_SPEC_JSON, stored.spec);
  const canRebase = saveError?.aborted === true && stored !== undefined && storedSpecYaml === beforeYaml && (stored.metadata.resourceVersion ?? "") !== base.version;
  const rebase = () => {
    if (stored === undefined) return;
    setBase({ spec: base.spec, version: stored.metadata.resourceVersion ?? "", generation: stored.metadata.generation });
    setSaveError(undefined);
    setNotice("Only the Strategy's status had changed on the server; your edits now apply to its current version. Save again.");
  };

  const save = () => {
    setSaving(true);
    setSaveError(undefined);
    clients.console.saveStrategy({ name, spec: serverSpec, resourceVersion: base.version, generation: BigInt(base.generation ?? 0) }).then(
      () => { setSaving(false); setStartYaml(afterYaml); onSaved(name); },
      (e: unknown) => {
        setSaving(false);
        setSaveError({ message: explainMutationError(e), aborted: e instanceof ConnectError && e.code === Code.Aborted });
      },
    );
  };

  // The stored object moved on while editing.
  // Only a spec change matters (generation); status writes change resourceVersion every scan.
  const serverChanged = mode.kind === "edit" && stored !== undefined && stored.metadata.generation !== base.generation;
  const specChangedOnServer = serverChanged && storedSpecYaml !== beforeYaml;
  const deletedOnServer = mode.kind === "edit" && stored === undefined;

  const nameField = creating ? (
    <div className="field wide">
      <div className="field-head"><label htmlFor={fieldId(NAME_PATH)}>Name</label></div>
      <input
        id={fieldId(NAME_PATH)}
        type="text"
        value={name}
        maxLength={253}
        spellCheck={false}
        autoComplete="off"
        required
        placeholder="e.g. spy-bull-put"
        data-testid="field-name"
        aria-invalid={(problems.get(NAME_PATH)?.length ?? 0) > 0}
        aria-describedby={describedBy("name-help", (problems.get(NAME_PATH)?.length ?? 0) > 0 && "name-errors")}
        onChange={(e) => { setName(e.target.value); }}
        disabled={saving}
      />
      <p id="name-help" className="hint">The Strategy's object name: lower-case letters, digits and '-', e.g. spy-bull-put. It cannot be changed later.</p>
      <FieldErrors id="name-errors" messages={problems.get(NAME_PATH)} />
    </div>
  ) : null;

  const title = creating ? "New strategy" : `Edit ${name}`;
  const fieldEntries = [...fieldProblems].filter(([, list]) => list.length > 0);
  return (
    <section aria-labelledby="editor-title" className="strategy-editor">
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link to="/strategies">Strategies</Link> ›{" "}
        {creating ? <span aria-current="page">New</span> : <><Link to={`/strategies/${encodeURIComponent(name)}`}>{name}</Link> › <span aria-current="page">Edit</span></>}
      </nav>
      <div className="row page-head">
        <h1 id="editor-title">{title}</h1>
        <Freshness stream={stream} label="strategies" />
      </div>

      {serverChanged ? (
        <div className="notice warn" role="status" data-testid="server-changed">
          <p><strong>Changed on the server since you started editing.</strong>{" "}
            {specChangedOnServer ? "Its spec differs from the one you started from; saving will be refused until you reload." : "Only its status changed; the spec is the one you started from."}</p>
          {specChangedOnServer ? <button type="button" onClick={reloadStored} data-testid="reload-stored">Reload the stored version (your edits are kept as a preset named “{presetStore().freeName(unsavedName)}”)</button> : null}
        </div>
      ) : null}
      {deletedOnServer ? <p className="notice warn" role="status">This Strategy was deleted on the server while you were editing. Save your edits as a preset to keep them.</p> : null}
      {notice === undefined ? null : <p className="notice good" role="status">{notice} <button type="button" className="link" onClick={() => { setNotice(undefined); }}>Dismiss</button></p>}

      <div className={`problems-summary${total > 0 ? " has-problems" : ""}`} aria-live="polite" aria-busy={check.status === "pending"}>
        {check.status === "error" ? <p className="warn-text">Could not check with the server ({check.error}); the fields are checked here, and the server checks again when saving.</p> : null}
        {total === 0 ? (
          <p className="hint" data-testid="check-status">{check.status === "pending" || check.status === "idle" ? "Checking…" : check.status === "done" ? "✓ No problems found (schema, CEL rules and the strategy service's checks)." : "✓ No problems found by the checks in this page."}</p>
        ) : (
          <div className="violations">
            <h2>{total} problem{total === 1 ? "" : "s"} to fix{check.status === "pending" ? " (checking…)" : ""}</h2>
            {rootProblems.length + server.rest.length > 0 ? (
              <ul className="violations-rest" data-testid="violations">
                {rootProblems.map((m) => <li key={`root-${m}`}>{m}</li>)}
                {server.rest.map((v) => <li key={`${v.field}-${v.message}`}>{v.field === "" || v.field === "spec" ? null : <><code>{v.field}</code>: </>}{v.message}</li>)}
              </ul>
            ) : null}
            {fieldEntries.length > 0 ? (
              <nav aria-label="Fields with problems">
                <ul className="violations-fields" data-testid="violation-fields">
                  {fieldEntries.map(([path, list]) => (
                    <li key={path}><button type="button" className="link" onClick={() => { focusField(path); }}>{path}</button>: {list.join(" ")}</li>
                  ))}
                </ul>
              </nav>
            ) : null}
          </div>
        )}
      </div>

      <div className="editor-layout">
        <form className="editor-form" noValidate aria-label={title} onSubmit={(e) => { e.preventDefault(); setReviewing(true); }}>
          <SchemaForm tree={SPEC_TREE} spec={spec} onChange={change} problems={fieldProblems} disabled={saving} before={nameField} />
        </form>
        <aside className="editor-side">
          <PresetsPanel currentSpec={serverSpec} defaultName={name === "" ? "new strategy" : name} onLoad={requestLoad} />
        </aside>
      </div>

      <div className="editor-actions" role="group" aria-label="Editor actions">
        <span className="hint">{total > 0 ? `${String(total)} problem${total === 1 ? "" : "s"}` : check.status === "pending" ? "Checking…" : changed || creating ? "Ready to review" : "No changes"}</span>
        <span className="spacer" />
        <button type="button" onClick={onCancel} disabled={saving}>Cancel</button>
        <button type="button" className="primary" data-testid="review" aria-expanded={reviewing} aria-controls="review-panel" onClick={() => { setReviewing(true); }}>Review changes</button>
      </div>

      {reviewing ? (
        <section id="review-panel" className="panel review" aria-labelledby="review-title">
          <h2 id="review-title" ref={reviewRef} tabIndex={-1}>{creating ? `Review the new Strategy “${name}”` : `Review changes to “${name}”`}</h2>
          <p className="hint">{creating ? "The whole spec is new." : `Compared with the stored spec you started from (resourceVersion ${base.version}).`}</p>
          <DiffView before={beforeYaml} after={afterYaml} titleId="review-title" />
          {saveError === undefined ? null : (
            <div className="error-box" role="alert" data-testid="save-error">
              <p className="error">{saveError.message}</p>
              {canRebase ? (
                <p>The spec on the server is still the one you started from; only its status changed.{" "}
                  <button type="button" onClick={rebase} data-testid="rebase">Keep my edits on the current version</button></p>
              ) : null}
              {saveError.aborted && stored !== undefined ? (
                <button type="button" onClick={reloadStored} data-testid="reload-stored-after-conflict">Reload the stored version (your edits are kept as a preset named “{presetStore().freeName(unsavedName)}”)</button>
              ) : null}
            </div>
          )}
          <div className="actions">
            {blockers.length === 0 ? null : <span className="hint" id="save-blockers">{blockers.join(" ")}</span>}
            <button type="button" onClick={() => { setReviewing(false); }}>Back to editing</button>
            <button type="button" className="primary" data-testid="save" disabled={blockers.length > 0} aria-busy={saving} aria-describedby={blockers.length === 0 ? undefined : "save-blockers"} onClick={save}>
              {saving ? "Saving…" : creating ? "Create strategy" : "Save"}
            </button>
          </div>
        </section>
      ) : null}

      <ConfirmDialog
        open={pendingLoad !== undefined}
        title={`Load preset “${pendingLoad?.name ?? ""}”?`}
        confirmLabel="Replace the form"
        onConfirm={() => { if (pendingLoad !== undefined) applyPreset(pendingLoad); }}
        onCancel={() => { setPendingLoad(undefined); }}
      >
        <p>The form has edits that are not saved. Loading the preset replaces every field; save the form as a preset first to keep them.</p>
      </ConfirmDialog>
    </section>
  );
}
