/**
 * A dual-handle range input for an inclusive `{min?, max?}` range: two <input type=range>
 * overlaid on one track (keyboard: arrows one step, Page Up/Down ten, Home/End on each handle) and two
 * number inputs for exact values. Each bound can be unset (open); an open bound's handle sits
 * at its end of the track and moving it sets the bound. The low handle cannot pass the high one.
 */
import type { ReactNode } from "react";
import { describedBy, FieldErrors, NumberInput, SetToggle } from "./inputs";
import { fromPosition, keyValue, moveHigh, moveLow, toPosition, TRACK_STEPS, trackPercent, type RangeDomain } from "./range-model";
import { EMPTY } from "./spec-model";

export type BoundValue = number | typeof EMPTY | undefined;
export type Bound = "min" | "max";

export interface RangeInputProps {
  /** Base for element ids (unique on the page). */
  readonly id: string;
  readonly testId: string;
  /** What the range is, e.g. "Days to expiry (DTE)". */
  readonly label: string;
  readonly description?: string | undefined;
  readonly domain: RangeDomain;
  readonly min: BoundValue;
  readonly max: BoundValue;
  /** undefined = unset the bound (open). */
  readonly onChange: (bound: Bound, value: number | typeof EMPTY | undefined) => void;
  readonly boundHelp?: Partial<Record<Bound, string | undefined>>;
  readonly boundErrors?: Partial<Record<Bound, readonly string[] | undefined>>;
  /** Problems of the range as a whole. */
  readonly errors?: readonly string[] | undefined;
  /** Path of each bound, e.g. "spread.dte.min": its number input is data-testid `field-<path>`, its switch `set-<path>`. */
  readonly boundKey: (bound: Bound) => string;
  /** Element id of each bound's number input (default `<id>-min` / `<id>-max`). */
  readonly boundId?: (bound: Bound) => string;
  /** Next to the legend, e.g. the range's own set/unset switch. */
  readonly legendExtra?: ReactNode;
  readonly hints?: ReactNode;
  readonly disabled?: boolean;
}

const WORD: Record<Bound, string> = { min: "Minimum", max: "Maximum" };

export function RangeInput(props: RangeInputProps) {
  const { id, domain, min, max, onChange, label } = props;
  const minNum = typeof min === "number" ? min : undefined;
  const maxNum = typeof max === "number" ? max : undefined;
  const lowPct = trackPercent(domain, minNum, "low");
  const highPct = trackPercent(domain, maxNum, "high");
  const valueText = (bound: Bound, v: number | undefined) => (v === undefined ? `${WORD[bound]} open (no ${bound === "min" ? "lower" : "upper"} bound)` : `${WORD[bound]} ${String(v)}`);
  const errorsId = `${id}-errors`;
  const helpId = `${id}-help`;

  const commit = (bound: Bound, v: number) => {
    onChange(bound, bound === "min" ? moveLow(domain, v, maxNum) : moveHigh(domain, v, minNum));
  };

  const slider = (bound: Bound) => {
    const current = bound === "min" ? minNum : maxNum;
    const position = current ?? (bound === "min" ? domain.lo : domain.hi);
    return (
      <input
        type="range"
        className={`range-slider range-${bound}`}
        // The track works in positions (a square-root scale spreads wide domains); the value is in aria-valuetext.
        min={0}
        max={TRACK_STEPS}
        step={1}
        value={toPosition(domain, position)}
        disabled={props.disabled}
        aria-label={`${WORD[bound]} ${label}`}
        aria-valuetext={valueText(bound, current)}
        data-testid={`${props.testId}-${bound}-slider`}
        // The low handle is raised when it is in the upper half, so both can be grabbed where they meet.
        style={bound === "min" ? { zIndex: lowPct > 50 ? 3 : 2 } : { zIndex: 2 }}
        onKeyDown={(e) => {
          // Keys step in values (one day, 0.01 of delta), not in track positions.
          const next = keyValue(domain, position, e.key);
          if (next === undefined) return;
          e.preventDefault();
          commit(bound, next);
        }}
        onChange={(e) => { commit(bound, fromPosition(domain, Number(e.target.value))); }}
      />
    );
  };

  const boundField = (bound: Bound) => {
    const value = bound === "min" ? min : max;
    const inputId = props.boundId?.(bound) ?? `${id}-${bound}`;
    const help = props.boundHelp?.[bound];
    const errors = props.boundErrors?.[bound];
    const bHelpId = `${inputId}-help`;
    const bErrId = `${inputId}-errors`;
    return (
      <div className="field range-bound">
        <div className="field-head">
          <label htmlFor={inputId}>{WORD[bound]}</label>
          <SetToggle id={`${inputId}-set`} label={`${WORD[bound].toLowerCase()} ${label}`} isSet={value !== undefined} disabled={props.disabled} testId={`set-${props.boundKey(bound)}`}
            onToggle={(on) => { onChange(bound, on ? EMPTY : undefined); }} />
        </div>
        <NumberInput
          id={inputId}
          value={value}
          integer={domain.integer}
          min={domain.lo}
          max={domain.hi}
          placeholder="open"
          disabled={props.disabled}
          data-testid={`field-${props.boundKey(bound)}`}
          aria-invalid={errors !== undefined && errors.length > 0}
          aria-describedby={describedBy(help !== undefined && bHelpId, errors !== undefined && errors.length > 0 && bErrId)}
          onCommit={(v) => { onChange(bound, v); }}
        />
        {value === undefined ? <span className="hint">open — no {bound === "min" ? "lower" : "upper"} bound</span> : null}
        {help === undefined ? null : <p id={bHelpId} className="hint">{help}</p>}
        <FieldErrors id={bErrId} messages={errors} />
      </div>
    );
  };

  const hasErrors = props.errors !== undefined && props.errors.length > 0;
  return (
    <fieldset className="range" id={id} data-testid={props.testId} aria-describedby={describedBy(props.description !== undefined && helpId, hasErrors && errorsId)}>
      <legend>{label}{props.legendExtra}</legend>
      {props.description === undefined ? null : <p id={helpId} className="hint">{props.description}</p>}
      {props.hints}
      <div className="range-track-wrap">
        <span className="range-end" aria-hidden="true">{domain.lo}</span>
        <div className="range-track">
          <div className="range-rail" aria-hidden="true" />
          <div className="range-fill" aria-hidden="true" style={{ left: `${String(lowPct)}%`, right: `${String(100 - highPct)}%` }} />
          {slider("min")}
          {slider("max")}
        </div>
        <span className="range-end" aria-hidden="true">{domain.hi}</span>
      </div>
      <div className="range-bounds">
        {boundField("min")}
        {boundField("max")}
      </div>
      <FieldErrors id={errorsId} messages={props.errors} />
    </fieldset>
  );
}
