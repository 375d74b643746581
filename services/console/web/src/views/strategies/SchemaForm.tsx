/**
 * The schema-driven form: renders a FieldNode tree (schema-fields.ts) over the spec model
 * (spec-model.ts). object → fieldset with legend; range → RangeInput; array of objects →
 * repeatable group (add, remove, reorder); number/integer → number input with min/max/step;
 * string enum → select; string → text (pattern checked); boolean → checkbox; list → one text
 * input. Optional fields carry an explicit set/unset switch. Descriptions are help text
 * (aria-describedby); problems (client checks and server violations, by concrete path) show
 * under their field with aria-invalid.
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from "react";
import { describedBy, FieldErrors, ListInput, NumberInput, SetToggle } from "./inputs";
import { RangeInput, type Bound } from "./RangeInput";
import { rangeDomain } from "./range-model";
import { isLeaf, placeRules, type FieldNode } from "./schema-fields";
import { applyIndicator, EMPTY, entryFieldApplies, entryFieldRequired, getAt, initialValue, INDICATOR_FIELDS, isIndicator, moveItem, pathKey, setAt, unsetAt, type Path } from "./spec-model";
import { describeEntryRule } from "./strategy-model";

interface FormApi {
  readonly spec: unknown;
  readonly problems: ReadonlyMap<string, readonly string[]>;
  readonly ruleHints: ReadonlyMap<string, readonly string[]>;
  readonly change: (update: (spec: unknown) => unknown) => void;
  readonly disabled: boolean;
}

const FormContext = createContext<FormApi | undefined>(undefined);

function useForm(): FormApi {
  const api = useContext(FormContext);
  if (api === undefined) throw new Error("field outside SchemaForm");
  return api;
}

/** The CEL rules each field is checked against by the server, by template path (ranges' min ≤ max is checked here). */
export function ruleHintsOf(tree: FieldNode): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const rangePaths = new Set<string>();
  const visit = (n: FieldNode) => { if (n.kind === "range") rangePaths.add(n.path); n.children.forEach(visit); if (n.item !== undefined) visit(n.item); };
  visit(tree);
  for (const rule of placeRules(tree)) {
    const parent = rule.path.split(".").slice(0, -1).join(".");
    if (rangePaths.has(parent) && rule.rule.includes("self.min <= self.max")) continue;
    const list = out.get(rule.path) ?? [];
    if (!list.includes(rule.message)) list.push(rule.message);
    out.set(rule.path, list);
  }
  return out;
}

/** Id of a field's input (leaves) or fieldset (groups), for focusing from the problem summary. */
export const fieldId = (key: string): string => `f-${key}`;
export const groupId = (key: string): string => `g-${key}`;

/** Moves focus to the field of `key` (or its group) and scrolls it into view. */
export function focusField(key: string): void {
  const element = document.getElementById(fieldId(key)) ?? document.getElementById(groupId(key));
  if (element === null) return;
  element.scrollIntoView({ block: "center", behavior: "smooth" });
  const target = element.matches("input, select, textarea, button") ? element : element.querySelector<HTMLElement>("input, select, textarea, button");
  target?.focus({ preventScroll: true });
}

export function SchemaForm({ tree, spec, onChange, problems, disabled = false, before }: {
  tree: FieldNode;
  spec: unknown;
  onChange: (update: (spec: unknown) => unknown) => void;
  problems: ReadonlyMap<string, readonly string[]>;
  disabled?: boolean;
  /** Rendered in the first section, before the spec's own top-level fields (e.g. the name). */
  before?: ReactNode;
}) {
  const ruleHints = useMemo(() => ruleHintsOf(tree), [tree]);
  const api = useMemo<FormApi>(() => ({ spec, problems, ruleHints, change: onChange, disabled }), [spec, problems, ruleHints, onChange, disabled]);
  const scalars = tree.children.filter(isLeaf);
  const groups = tree.children.filter((c) => !isLeaf(c));
  return (
    <FormContext.Provider value={api}>
      <nav className="form-toc" aria-label="Form sections">
        <span className="hint">Sections:</span>
        <ul>
          <li><button type="button" className="link" onClick={() => { focusField("section-general"); }}>General</button></li>
          {groups.map((g) => <li key={g.key}><button type="button" className="link" onClick={() => { focusField(g.key); }}>{g.label}</button></li>)}
        </ul>
      </nav>
      <fieldset className="panel group top" id={groupId("section-general")}>
        <legend className="section-title">General</legend>
        <div className="fields">
          {before}
          {scalars.map((node) => <Field key={node.key} node={node} path={[node.key]} />)}
        </div>
      </fieldset>
      {groups.map((node) => <Field key={node.key} node={node} path={[node.key]} top />)}
    </FormContext.Provider>
  );
}

function Field({ node, path, top = false, requiredFor }: { node: FieldNode; path: Path; top?: boolean; requiredFor?: string | undefined }) {
  switch (node.kind) {
    case "object": return <ObjectGroup node={node} path={path} top={top} />;
    case "range": return <RangeField node={node} path={path} />;
    case "array": return <ArrayGroup node={node} path={path} top={top} />;
    default: return <LeafField node={node} path={path} requiredFor={requiredFor} />;
  }
}

function RuleHints({ messages }: { messages: readonly string[] | undefined }) {
  if (messages === undefined || messages.length === 0) return null;
  return <p className="hint rules">Checked when saving: {messages.join("; ")}.</p>;
}

function GroupToggle({ node, path, isSet }: { node: FieldNode; path: Path; isSet: boolean }) {
  const api = useForm();
  if (!node.optional) return null;
  const key = pathKey(path);
  return (
    <SetToggle id={`${groupId(key)}-set`} label={node.label} isSet={isSet} disabled={api.disabled} testId={`set-${key}`}
      onToggle={(on) => { api.change((s) => (on ? setAt(s, path, initialValue(node)) : unsetAt(s, path))); }} />
  );
}

function ObjectGroup({ node, path, top }: { node: FieldNode; path: Path; top: boolean }) {
  const api = useForm();
  const key = pathKey(path);
  const value = getAt(api.spec, path);
  const isSet = value !== undefined;
  const errors = api.problems.get(key);
  const isEntryItem = node.path === "entry.*";
  const indicator = isEntryItem && typeof value === "object" && value !== null ? (value as Record<string, unknown>).indicator : undefined;
  const children = isEntryItem
    ? node.children.filter((c) => entryFieldApplies(indicator, c.key) || getAt(value, [c.key]) !== undefined)
    : node.children;
  const leaves = children.filter(isLeaf);
  const nested = children.filter((c) => !isLeaf(c));
  const helpId = `${groupId(key)}-help`;
  const errId = `${groupId(key)}-errors`;
  return (
    <fieldset
      className={`group${top ? " panel top" : ""}${isSet ? "" : " unset"}`}
      id={groupId(key)}
      data-testid={`group-${key}`}
      aria-labelledby={isEntryItem ? `${groupId(key)}-title` : undefined}
      aria-describedby={describedBy(node.description !== undefined && !isEntryItem && helpId, errors !== undefined && errors.length > 0 && errId)}
    >
      {isEntryItem ? null : (
        <legend className={top ? "section-title" : undefined}>
          {node.label}
          <GroupToggle node={node} path={path} isSet={isSet} />
          {node.optional && !isSet ? <span className="hint"> — unset, not applied</span> : null}
        </legend>
      )}
      {isEntryItem ? null : node.description === undefined ? null : <p id={helpId} className="hint">{node.description}</p>}
      {isEntryItem && isIndicator(indicator) && INDICATOR_FIELDS[indicator].note !== undefined ? <p className="hint">{INDICATOR_FIELDS[indicator].note}</p> : null}
      <RuleHints messages={api.ruleHints.get(node.path)} />
      <FieldErrors id={errId} messages={errors} />
      {leaves.length > 0 ? (
        <div className="fields">
          {leaves.map((c) => <Field key={c.key} node={c} path={[...path, c.key]} requiredFor={isEntryItem && entryFieldRequired(indicator, c.key) ? String(indicator) : undefined} />)}
        </div>
      ) : null}
      {nested.map((c) => <Field key={c.key} node={c} path={[...path, c.key]} />)}
    </fieldset>
  );
}

let nextItemId = 0;
const newItemId = (): string => `item-${String(++nextItemId)}`;

const ITEM_WORD: Readonly<Record<string, string>> = { entry: "Rule" };

function ArrayGroup({ node, path, top }: { node: FieldNode; path: Path; top: boolean }) {
  const api = useForm();
  const key = pathKey(path);
  const raw = getAt(api.spec, path);
  const items: readonly unknown[] = Array.isArray(raw) ? raw : [];
  // Stable React keys per item, so moving an item moves its inputs (and the focus) with it.
  const [ids, setIds] = useState<string[]>(() => items.map(newItemId));
  let keys = ids;
  if (ids.length !== items.length) {
    keys = items.map((_, i) => ids[i] ?? newItemId());
    setIds(keys);
  }
  const itemNode = node.item;
  const word = ITEM_WORD[node.key] ?? "Item";
  const max = node.schema.maxItems;
  const errors = api.problems.get(key);
  const helpId = `${groupId(key)}-help`;
  const errId = `${groupId(key)}-errors`;
  if (itemNode === undefined) return null;

  const move = (from: number, to: number) => {
    api.change((s) => moveItem(s, path, from, to));
    const next = [...keys];
    const [moved] = next.splice(from, 1);
    if (moved !== undefined) next.splice(to, 0, moved);
    setIds(next);
  };
  const remove = (index: number) => {
    api.change((s) => unsetAt(s, [...path, index]));
    setIds(keys.filter((_, i) => i !== index));
  };
  const add = () => {
    let item = initialValue(itemNode);
    // Every entry rule must share one direction: a new rule starts with the first one's.
    const first = items[0];
    if (node.path === "entry" && typeof first === "object" && first !== null && typeof (first as Record<string, unknown>).direction === "string") {
      item = { ...(item as Record<string, unknown>), direction: (first as Record<string, unknown>).direction };
    }
    api.change((s) => setAt(s, path, [...(Array.isArray(getAt(s, path)) ? (getAt(s, path) as unknown[]) : []), item]));
    setIds([...keys, newItemId()]);
    const index = items.length;
    setTimeout(() => { document.getElementById(groupId(`${key}.${String(index)}`))?.querySelector<HTMLElement>("select, input")?.focus(); }, 0);
  };

  return (
    <fieldset
      className={`group array${top ? " panel top" : ""}`}
      id={groupId(key)}
      data-testid={`group-${key}`}
      aria-describedby={describedBy(node.description !== undefined && helpId, errors !== undefined && errors.length > 0 && errId)}
    >
      <legend className={top ? "section-title" : undefined}>{node.label}</legend>
      {node.description === undefined ? null : <p id={helpId} className="hint">{node.description}</p>}
      {itemNode.description === undefined ? null : <p className="hint">{itemNode.description}</p>}
      <RuleHints messages={api.ruleHints.get(node.path)} />
      <FieldErrors id={errId} messages={errors} />
      {items.length === 0 ? <p className="empty">No {node.label.toLowerCase()}.</p> : null}
      <ol className="items">
        {items.map((item, i) => {
          const itemKey = `${key}.${String(i)}`;
          const summary = node.path === "entry" && typeof item === "object" && item !== null ? describeEntryRule(item) : "";
          return (
            <li key={keys[i]} className="item">
              <div className="item-head">
                <h3 id={`${groupId(itemKey)}-title`}>{word} {i + 1}{summary === "" ? "" : <span className="hint"> — {summary}</span>}</h3>
                <div className="item-actions">
                  <button type="button" disabled={api.disabled || i === 0} aria-label={`Move ${word.toLowerCase()} ${String(i + 1)} up`} data-testid={`move-up-${itemKey}`} onClick={() => { move(i, i - 1); }}>↑ Up</button>
                  <button type="button" disabled={api.disabled || i === items.length - 1} aria-label={`Move ${word.toLowerCase()} ${String(i + 1)} down`} data-testid={`move-down-${itemKey}`} onClick={() => { move(i, i + 1); }}>↓ Down</button>
                  <button type="button" disabled={api.disabled} aria-label={`Remove ${word.toLowerCase()} ${String(i + 1)}`} data-testid={`remove-${itemKey}`} onClick={() => { remove(i); }}>Remove</button>
                </div>
              </div>
              <Field node={itemNode} path={[...path, i]} />
            </li>
          );
        })}
      </ol>
      <div className="row">
        <button type="button" onClick={add} disabled={api.disabled || (max !== undefined && items.length >= max)} data-testid={`add-${key}`}>
          + Add {word.toLowerCase()}
        </button>
        {max === undefined ? null : <span className="hint">{items.length} of at most {max}</span>}
      </div>
    </fieldset>
  );
}

function RangeField({ node, path }: { node: FieldNode; path: Path }) {
  const api = useForm();
  const key = pathKey(path);
  const value = getAt(api.spec, path);
  const range = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  const minNode = node.children.find((c) => c.key === "min");
  const maxNode = node.children.find((c) => c.key === "max");
  const domain = useMemo(() => rangeDomain(minNode?.schema ?? {}), [minNode]);
  const bound = (v: unknown): number | typeof EMPTY | undefined => (typeof v === "number" || v === EMPTY ? v : undefined);
  const onChange = (which: Bound, v: number | typeof EMPTY | undefined) => {
    api.change((s) => (v === undefined ? unsetAt(s, [...path, which]) : setAt(s, [...path, which], v)));
  };
  return (
    <RangeInput
      id={groupId(key)}
      testId={`range-${key}`}
      label={node.label}
      description={node.description}
      domain={domain}
      min={bound(range?.min)}
      max={bound(range?.max)}
      onChange={onChange}
      boundKey={(which) => `${key}.${which}`}
      boundId={(which) => fieldId(`${key}.${which}`)}
      boundHelp={{ min: minNode?.description, max: maxNode?.description }}
      boundErrors={{ min: api.problems.get(`${key}.min`), max: api.problems.get(`${key}.max`) }}
      errors={api.problems.get(key)}
      disabled={api.disabled}
      legendExtra={node.optional ? (
        <>
          <GroupToggle node={node} path={path} isSet={range !== undefined} />
          {range === undefined ? <span className="hint"> — unset, not applied</span> : null}
        </>
      ) : null}
      hints={<RuleHints messages={[...(api.ruleHints.get(node.path) ?? []), ...(api.ruleHints.get(`${node.path}.min`) ?? [])]} />}
    />
  );
}

const showDefault = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

function LeafField({ node, path, requiredFor }: { node: FieldNode; path: Path; requiredFor?: string | undefined }) {
  const api = useForm();
  const key = pathKey(path);
  const value = getAt(api.spec, path);
  const isSet = value !== undefined;
  const id = fieldId(key);
  const errors = api.problems.get(key);
  const invalid = errors !== undefined && errors.length > 0;
  const helpId = `${id}-help`;
  const errId = `${id}-errors`;
  const s = node.schema;
  const unsetText = s.default === undefined ? "unset" : `unset (default ${showDefault(s.default)})`;
  const set = (v: unknown) => { api.change((spec) => setAt(spec, path, v)); };
  const common = {
    id,
    "data-testid": `field-${key}`,
    "aria-invalid": invalid,
    "aria-describedby": describedBy(node.description !== undefined && helpId, invalid && errId),
    disabled: api.disabled,
  };
  let control: ReactNode;
  switch (node.kind) {
    case "number":
    case "integer":
      control = (
        <NumberInput {...common} value={typeof value === "number" || value === EMPTY ? value : undefined} integer={node.kind === "integer"}
          min={s.exclusiveMinimum === true ? undefined : s.minimum} max={s.exclusiveMaximum === true ? undefined : s.maximum}
          placeholder={isSet ? "" : unsetText} onCommit={set} />
      );
      break;
    case "enum": {
      const isEntryIndicator = node.path === "entry.*.indicator";
      const current = typeof value === "string" ? value : "";
      control = (
        <select {...common} value={current}
          onChange={(e) => {
            const v = e.target.value;
            if (v === "" && node.optional) { api.change((spec) => unsetAt(spec, path)); return; }
            if (isEntryIndicator) { api.change((spec) => setAt(spec, path.slice(0, -1), applyIndicator(getAt(spec, path.slice(0, -1)), v))); return; }
            set(v);
          }}>
          {node.optional ? <option value="">— {unsetText} —</option> : current === "" ? <option value="" disabled>— choose —</option> : null}
          {(s.enum ?? []).map((option) => <option key={String(option)} value={String(option)}>{String(option)}</option>)}
        </select>
      );
      break;
    }
    case "boolean":
      control = (
        <input {...common} type="checkbox" checked={typeof value === "boolean" ? value : s.default === true} onChange={(e) => { set(e.target.checked); }} />
      );
      break;
    case "list":
      control = (
        <ListInput {...common} value={Array.isArray(value) ? value : undefined} placeholder={isSet ? "e.g. SPY, QQQ, IWM" : `${unsetText} — e.g. SPY, QQQ, IWM`} onCommit={set} />
      );
      break;
    default:
      control = (
        <input {...common} type="text" spellCheck={false} value={typeof value === "string" ? value : ""} maxLength={s.maxLength}
          placeholder={isSet ? "" : unsetText} onChange={(e) => { set(e.target.value); }} />
      );
  }
  const isBoolean = node.kind === "boolean";
  return (
    <div className={`field${isSet ? "" : " unset"}${isBoolean ? " boolean" : ""}${node.kind === "list" ? " wide" : ""}`}>
      <div className="field-head">
        {isBoolean ? <label htmlFor={id} className="check">{control}{node.label}</label> : <label htmlFor={id}>{node.label}</label>}
        {node.optional ? (
          <SetToggle id={`${id}-set`} label={node.label} isSet={isSet} disabled={api.disabled} testId={`set-${key}`}
            onToggle={(on) => { api.change((spec) => (on ? setAt(spec, path, initialValue(node)) : unsetAt(spec, path))); }} />
        ) : null}
      </div>
      {isBoolean ? null : control}
      {isBoolean && !isSet ? <span className="hint">{unsetText}</span> : null}
      {requiredFor !== undefined ? <span className="hint">needed for {requiredFor}</span> : null}
      {node.path === "mode" && value === "live" ? <p className="warn-text">Live: this Strategy's orders go to a real-money account (the gateway must run in live mode too).</p> : null}
      {node.description === undefined ? null : <p id={helpId} className="hint">{node.description}</p>}
      <RuleHints messages={api.ruleHints.get(node.path)} />
      <FieldErrors id={errId} messages={errors} />
    </div>
  );
}
