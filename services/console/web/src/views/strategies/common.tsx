/** Small pieces the list and detail pages share. */
import type { Condition } from "@spreadops/resources/schema";
import { useEffect, useState } from "react";
import { age, dateTime, parseTime, signedUsd, UNKNOWN } from "../../components/format";
import { conditionTone, sortConditions } from "./strategy-model";

/** The current time, re-read every `intervalMs` (for "3m ago" texts; no network). */
export function useNow(intervalMs = 10_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => { setNow(Date.now()); }, intervalMs);
    return () => { clearInterval(timer); };
  }, [intervalMs]);
  return now;
}

/** "3m ago" with the full time as a tooltip and machine-readable datetime; "—" when unknown. */
export function Ago({ time, now }: { time: string | undefined; now: number }) {
  const ms = parseTime(time);
  if (ms === undefined || time === undefined) return <span>{UNKNOWN}</span>;
  const future = ms > now;
  return <time dateTime={time} title={dateTime(ms)}>{future ? `in ${age(ms - now)}` : `${age(now - ms)} ago`}</time>;
}

export function Pnl({ value }: { value: number | undefined }) {
  const cls = value === undefined || value === 0 ? "" : value > 0 ? "pos" : "neg";
  return <span className={cls}>{signedUsd(value)}</span>;
}

const TONE_MARK: Record<string, string> = { bad: "⚠ ", warn: "? " };

/** Each condition as "Type: True/False (Reason)", problems first and highlighted. */
export function ConditionSummary({ conditions }: { conditions: readonly Condition[] | undefined }) {
  const sorted = sortConditions(conditions);
  if (sorted.length === 0) return <span className="hint">none reported</span>;
  return (
    <ul className="conditions">
      {sorted.map((c) => {
        const tone = conditionTone(c);
        return (
          <li key={c.type} className={`cond ${tone}`} title={c.message === "" ? undefined : c.message}>
            <span aria-hidden="true">{TONE_MARK[tone] ?? ""}</span>
            {c.type}: <strong>{c.status}</strong>{c.reason === "" ? null : <span className="reason"> ({c.reason})</span>}
          </li>
        );
      })}
    </ul>
  );
}
