/** A line diff of two YAML texts: "+" lines added, "−" lines removed (sign, colour and a screen-reader word). */
import { useMemo, useState } from "react";
import { collapseDiff, diffYaml } from "./yaml-diff";

const SIGN = { added: "+", removed: "−", same: " " } as const;
const WORD = { added: "added: ", removed: "removed: ", same: "" } as const;

export function DiffView({ before, after, titleId }: { before: string; after: string; titleId?: string }) {
  const model = useMemo(() => diffYaml(before, after), [before, after]);
  const [all, setAll] = useState(false);
  const entries = useMemo(() => (all ? model.lines : collapseDiff(model.lines, 3)), [model, all]);
  const hasGaps = entries.some((e) => e.kind === "gap");
  return (
    <div className="diff-view" data-testid="diff" aria-labelledby={titleId}>
      <p className="diff-summary">
        {model.added === 0 && model.removed === 0 ? "No changes." : `${String(model.added)} line${model.added === 1 ? "" : "s"} added, ${String(model.removed)} removed.`}
        {hasGaps || all ? <> <button type="button" className="link" onClick={() => { setAll(!all); }}>{all ? "Show changes only" : "Show all lines"}</button></> : null}
      </p>
      <pre className="diff">
        {entries.map((entry, i) => entry.kind === "gap"
          ? <span key={i} className="diff-line gap">{`  … ${String(entry.count)} unchanged line${entry.count === 1 ? "" : "s"}\n`}</span>
          : (
            <span key={i} className={`diff-line ${entry.kind}`}>
              <span className="visually-hidden">{WORD[entry.kind]}</span>
              <span className="sign" aria-hidden="true">{SIGN[entry.kind]}</span>
              {" "}<span className="text">{entry.text}</span>{"\n"}
            </span>
          ))}
      </pre>
    </div>
  );
}
