import { useEffect, useState } from "react";
import { useHealthSnapshot } from "../api/health";
import { clockTime } from "../components/format";

const NAMES: Record<string, string> = {
  store: "Resource store (Strategies and Trades)",
  gateway: "Gateway (TWS session)",
  strategy: "Strategy service",
  execution: "Execution service",
  activity: "Activity feed",
};

/**
 * One line per source that is not live, at the top of every page: what is down, since when, the
 * last error and when the next attempt is. The rest of the console stays usable.
 */
export function HealthBanner() {
  const sources = useHealthSnapshot();
  const [, tick] = useState(0);
  const down = sources.filter((s) => s.state.status === "retrying");
  useEffect(() => {
    if (down.length === 0) return;
    const timer = setInterval(() => { tick((n) => n + 1); }, 1000);
    return () => { clearInterval(timer); };
  }, [down.length]);
  return (
    <div className="health-banner" role="status" aria-live="polite">
      {down.map(({ source, state }) => (
        <p key={source} className="banner warn" data-source={source}>
          <strong>{NAMES[source] ?? source} unreachable</strong> since {clockTime(state.since)}
          {state.retryAt === undefined ? null : <> — retrying in {Math.max(0, Math.ceil((state.retryAt - Date.now()) / 1000))} s</>}
          {state.error === undefined ? null : <span className="detail">{state.error}</span>}
        </p>
      ))}
    </div>
  );
}
