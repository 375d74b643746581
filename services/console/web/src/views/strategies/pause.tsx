/**
 * Pause/Resume of a Strategy through ConsoleService.SetStrategyPaused. The button shows the
 * request at once (same frame as the click); the row flips only when the resource stream shows
 * the new spec.paused, so what the table says is always what the store holds.
 */
import type { StrategyResource } from "@spreadops/resources/schema";
import { createContext, useCallback, useContext, useEffect, useId, useMemo, useState, type ReactNode } from "react";
import { useClients, useSession } from "../../api/context";
import { useResources } from "../../api/resources";
import { explainMutationError } from "../../components/mutation";
import { activePending, isPaused, prunePending, type PendingPause } from "./strategy-model";

interface PauseApi {
  readonly pending: ReadonlyMap<string, PendingPause>;
  readonly errors: ReadonlyMap<string, string>;
  readonly request: (name: string, paused: boolean) => void;
  readonly dismiss: (name: string) => void;
}

const PauseContext = createContext<PauseApi | undefined>(undefined);

const without = <V,>(map: ReadonlyMap<string, V>, key: string): ReadonlyMap<string, V> => {
  if (!map.has(key)) return map;
  const next = new Map(map);
  next.delete(key);
  return next;
};

export function PauseProvider({ children }: { children: ReactNode }) {
  const clients = useClients();
  const { strategies } = useResources();
  const [pending, setPending] = useState<ReadonlyMap<string, PendingPause>>(new Map());
  const [errors, setErrors] = useState<ReadonlyMap<string, string>>(new Map());
  // Forget requests the stream has confirmed, so a later change by someone else is not shown as ours.
  useEffect(() => { setPending((current) => prunePending(current, strategies)); }, [strategies]);
  const request = useCallback((name: string, paused: boolean) => {
    setPending((m) => new Map(m).set(name, { target: paused, acknowledged: false }));
    setErrors((m) => without(m, name));
    clients.console.setStrategyPaused({ name, paused }).then(
      () => { setPending((m) => (m.get(name)?.target === paused ? new Map(m).set(name, { target: paused, acknowledged: true }) : m)); },
      (e: unknown) => {
        setPending((m) => (m.get(name)?.target === paused ? without(m, name) : m));
        setErrors((m) => new Map(m).set(name, explainMutationError(e)));
      },
    );
  }, [clients]);
  const dismiss = useCallback((name: string) => { setErrors((m) => without(m, name)); }, []);
  const value = useMemo(() => ({ pending, errors, request, dismiss }), [pending, errors, request, dismiss]);
  return <PauseContext.Provider value={value}>{children}</PauseContext.Provider>;
}

function usePause(): PauseApi {
  const api = useContext(PauseContext);
  if (api === undefined) throw new Error("PauseButton outside PauseProvider");
  return api;
}

/** Pause or Resume for one Strategy, with its pending state, sign-in hint and error inline. */
export function PauseButton({ strategy }: { strategy: StrategyResource }) {
  const { pending, errors, request, dismiss } = usePause();
  const session = useSession();
  const id = useId();
  const name = strategy.metadata.name;
  const paused = isPaused(strategy);
  const active = activePending(pending.get(name), strategy);
  const error = errors.get(name);
  const signedIn = session.token !== undefined;
  const verb = paused ? "Resume" : "Pause";
  const busyText = active === undefined ? undefined : active.target ? "Pausing…" : "Resuming…";
  return (
    <div className="pause-control">
      <button
        type="button"
        className={paused ? "primary" : undefined}
        data-testid={`${paused ? "resume" : "pause"}-${name}`}
        disabled={!signedIn || active !== undefined}
        aria-busy={active !== undefined}
        aria-describedby={!signedIn || active?.acknowledged === true || error !== undefined ? `${id}-note` : undefined}
        onClick={() => { request(name, !paused); }}
      >
        {busyText ?? verb}
      </button>
      <span id={`${id}-note`} className="pause-note">
        {!signedIn ? <span className="hint">Sign in to {verb.toLowerCase()}</span> : null}
        {active?.acknowledged === true ? <span className="hint" role="status">Accepted — waiting for the live update</span> : null}
        {error === undefined ? null : (
          <span className="error" role="alert">
            {error} <button type="button" className="link" onClick={() => { dismiss(name); }} aria-label={`Dismiss the error for ${name}`}>Dismiss</button>
          </span>
        )}
      </span>
    </div>
  );
}
