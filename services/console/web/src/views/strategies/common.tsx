/** Small pieces the list and detail pages share. */
import type { Condition } from "@spreadops/resources/schema";
import { usePlatformNow } from "../../components/use-now";
import { age, dateTime, parseTime, signedUsd, UNKNOWN } from "../../components/format";
import { conditionTone, sortConditions } from "./strategy-model";

/** The platform's time for status ages ("3m ago"), re-read every 10 s. */
export const useNow = (): number => usePlatformNow(10_000);

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
