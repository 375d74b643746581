/**
 * The Strategies view: /strategies (list), /strategies/new (create; ?from=<name> starts from a
 * copy), /strategies/<name> (detail), /strategies/<name>/edit (editor).
 */
import "./strategies.css";
import { useEffect, useState } from "react";
import type { StrategyResource } from "@spreadops/resources/schema";
import { useResources } from "../../api/resources";
import { Link, useRouter } from "../../app/router";
import { PauseProvider } from "./pause";
import { StrategyDetail } from "./StrategyDetail";
import { StrategyEditor } from "./StrategyEditor";
import { StrategyList } from "./StrategyList";

const detailPath = (name: string): string => `/strategies/${encodeURIComponent(name)}`;

function EditRoute({ name, onSaved }: { name: string; onSaved: (name: string) => void }) {
  const { strategies, loaded } = useResources();
  const { navigate } = useRouter();
  // The object the edit starts from, kept once found: the editor stays open (edits kept) even if
  // the Strategy is deleted meanwhile, and follows later versions itself.
  const found = strategies.find((s) => s.metadata.name === name);
  const [start, setStart] = useState<StrategyResource | undefined>(found);
  if (start === undefined && found !== undefined) setStart(found);
  const current = start ?? found;
  if (!loaded) return <p className="hint" role="status">Loading…</p>;
  if (current === undefined) {
    return (
      <section aria-labelledby="editor-title">
        <h1 id="editor-title">Edit {name}</h1>
        <p className="error">There is no Strategy named “{name}”.</p>
        <Link to="/strategies">Back to the list</Link>
      </section>
    );
  }
  return <StrategyEditor key={name} mode={{ kind: "edit", name, stored: current }} onSaved={onSaved} onCancel={() => { navigate(detailPath(name)); }} />;
}

function CreateRoute({ from, onSaved }: { from: string | null; onSaved: (name: string) => void }) {
  const { strategies, loaded } = useResources();
  const { navigate } = useRouter();
  if (from !== null && !loaded) return <p className="hint" role="status">Loading…</p>;
  const source = from === null ? undefined : strategies.find((s) => s.metadata.name === from);
  const mode = source?.spec === undefined
    ? { kind: "create" as const }
    : { kind: "create" as const, from: structuredClone(source.spec) as unknown as Record<string, unknown>, fromName: source.metadata.name };
  return <StrategyEditor key={`new-${from ?? ""}`} mode={mode} onSaved={onSaved} onCancel={() => { navigate("/strategies"); }} />;
}

export function StrategiesView() {
  const { route, navigate } = useRouter();
  const [first, second] = route.rest;
  const [saved, setSaved] = useState<{ name: string; text: string } | undefined>(undefined);
  const onSaved = (name: string) => {
    setSaved({ name, text: "Saved. The controller applies the new spec on its next reconcile." });
    navigate(detailPath(name));
  };

  // The "Saved" notice belongs to the detail page it was shown on.
  const onDetailOf = saved !== undefined && first === saved.name && second === undefined;
  useEffect(() => { if (!onDetailOf) setSaved(undefined); }, [onDetailOf]);

  let body;
  if (first === undefined) body = <StrategyList />;
  else if (first === "new" && second === undefined) body = <CreateRoute from={route.search.get("from")} onSaved={onSaved} />;
  else if (second === "edit") body = <EditRoute key={first} name={first} onSaved={onSaved} />;
  else body = <StrategyDetail name={first} notice={saved?.name === first ? saved.text : undefined} onDismissNotice={() => { setSaved(undefined); }} />;

  return <div className="strategies-view"><PauseProvider>{body}</PauseProvider></div>;
}
