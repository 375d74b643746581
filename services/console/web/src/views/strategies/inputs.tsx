/**
 * Inputs that keep what the user types (a draft) apart from the value in the spec: "0." or an
 * empty box stay on screen while the spec holds 0 or EMPTY, and a value changed from outside
 * (a preset loaded, a reload) replaces the draft.
 */
import { useState, type InputHTMLAttributes } from "react";
import { EMPTY } from "./spec-model";

type NumberValue = number | typeof EMPTY | undefined;

const numberText = (value: NumberValue): string => (typeof value === "number" ? String(value) : "");

function numberMatches(draft: string, value: NumberValue): boolean {
  if (typeof value !== "number") return draft.trim() === "";
  return draft.trim() !== "" && Number(draft) === value;
}

/** Keeps `draft` in step with `value` when `value` changes from outside. */
function useDraft<V>(value: V, toText: (v: V) => string, matches: (draft: string, v: V) => boolean): [string, (t: string) => void] {
  const [draft, setDraft] = useState(() => toText(value));
  const [seen, setSeen] = useState(value);
  if (!Object.is(seen, value)) {
    setSeen(value);
    if (!matches(draft, value)) setDraft(toText(value));
  }
  return [draft, setDraft];
}

type BaseInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "type" | "min" | "max" | "step">;

/**
 * A number input. `value` undefined = unset (shown empty with the placeholder); typing commits
 * a number, clearing commits EMPTY (set but empty), never 0.
 */
export function NumberInput({ value, onCommit, integer, min, max, ...rest }: BaseInputProps & {
  value: NumberValue;
  onCommit: (value: number | typeof EMPTY) => void;
  integer: boolean;
  min?: number | undefined;
  max?: number | undefined;
}) {
  const [draft, setDraft] = useDraft<NumberValue>(value, numberText, numberMatches);
  return (
    <input
      {...rest}
      type="number"
      inputMode={integer ? "numeric" : "decimal"}
      step={integer ? 1 : "any"}
      min={min}
      max={max}
      value={draft}
      onChange={(e) => {
        const text = e.target.value;
        setDraft(text);
        const n = Number(text);
        onCommit(text.trim() === "" || !Number.isFinite(n) ? EMPTY : n);
      }}
    />
  );
}

/** "SPY, QQQ IWM" → ["SPY", "QQQ", "IWM"]. */
export const parseList = (text: string): string[] => text.split(/[\s,]+/).filter((s) => s !== "");

const listText = (value: readonly unknown[] | undefined): string => (value ?? []).map(String).join(", ");

/** A list of words (tickers) in one text input, separated by commas or spaces. */
export function ListInput({ value, onCommit, ...rest }: BaseInputProps & {
  value: readonly unknown[] | undefined;
  onCommit: (value: string[]) => void;
}) {
  const [draft, setDraft] = useDraft<readonly unknown[] | undefined>(value, listText, (d, v) => JSON.stringify(parseList(d)) === JSON.stringify((v ?? []).map(String)));
  return (
    <input
      {...rest}
      type="text"
      autoCapitalize="characters"
      spellCheck={false}
      value={draft}
      onChange={(e) => {
        setDraft(e.target.value);
        onCommit(parseList(e.target.value));
      }}
    />
  );
}

/** The explicit set/unset switch of an optional field: unset = absent from the spec. */
export function SetToggle({ id, label, isSet, onToggle, disabled, testId }: {
  id: string;
  label: string;
  isSet: boolean;
  onToggle: (set: boolean) => void;
  disabled?: boolean;
  testId: string;
}) {
  return (
    <label className="set-toggle" htmlFor={id} title={isSet ? `Untick to leave ${label} unset` : `Tick to set ${label}`}>
      <input id={id} type="checkbox" checked={isSet} disabled={disabled} aria-label={`Set ${label}`} data-testid={testId} onChange={(e) => { onToggle(e.target.checked); }} />
      set
    </label>
  );
}

/** Error messages under a field (referenced by the input's aria-describedby). */
export function FieldErrors({ id, messages }: { id: string; messages: readonly string[] | undefined }) {
  if (messages === undefined || messages.length === 0) return null;
  return (
    <ul id={id} className="field-errors">
      {messages.map((m) => <li key={m}>{m}</li>)}
    </ul>
  );
}

/** Joins the ids of present help/error elements for aria-describedby. */
export const describedBy = (...ids: (string | false | undefined)[]): string | undefined => {
  const list = ids.filter((id): id is string => typeof id === "string" && id !== "");
  return list.length === 0 ? undefined : list.join(" ");
};
