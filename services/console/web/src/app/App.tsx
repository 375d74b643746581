import { TradingMode } from "@spreadops/api";
import { useEffect, useState, type ReactNode } from "react";
import { useSession, useSessionStore } from "../api/context";
import { useGatewayStatus } from "../api/gateway-status";
import { useResources } from "../api/resources";
import { ActivityView } from "../views/activity/ActivityView";
import { ConnectionHistoryRecorder, ConnectionView } from "../views/connection/ConnectionView";
import { ScannerView } from "../views/scanner/ScannerView";
import { StrategiesView } from "../views/strategies/StrategiesView";
import { isDecidable } from "../views/trades/trade-model";
import { TradesView } from "../views/trades/TradesView";
import { HealthBanner } from "./HealthBanner";
import { Link, useRouter, VIEWS, type ViewName } from "./router";
import { SignIn } from "./SignIn";
import { applyTheme, initialTheme, type Theme } from "./theme";

const TITLES: Record<ViewName, string> = {
  connection: "Connection",
  strategies: "Strategies",
  scanner: "Scanner",
  trades: "Trades",
  activity: "Activity",
};

function ModeBadge() {
  const { status } = useGatewayStatus();
  if (status === undefined) return <span className="mode unknown">mode unknown</span>;
  const live = status.mode === TradingMode.LIVE;
  return <span className={`mode ${live ? "live" : "paper"}`} title={live ? "Orders go to a LIVE account with real money" : "Paper trading account"}>{live ? "LIVE TRADING" : "Paper"}</span>;
}

export function App() {
  const { route } = useRouter();
  const session = useSession();
  const sessionStore = useSessionStore();
  const { trades } = useResources();
  const [theme, setTheme] = useState<Theme>(() => initialTheme(localStorage, matchMedia("(prefers-color-scheme: dark)").matches));
  const [signingIn, setSigningIn] = useState(false);
  useEffect(() => { applyTheme(theme); }, [theme]);
  useEffect(() => { document.title = `${TITLES[route.view]} · SpreadOps console`; }, [route.view]);
  const waiting = trades.filter(isDecidable).length;

  let view: ReactNode;
  switch (route.view) {
    case "connection": view = <ConnectionView />; break;
    case "strategies": view = <StrategiesView />; break;
    case "scanner": view = <ScannerView />; break;
    case "trades": view = <TradesView />; break;
    case "activity": view = <ActivityView />; break;
  }

  return (
    <div className="app">
      <a className="skip" href="#main">Skip to content</a>
      <header className="topbar">
        <span className="brand">SpreadOps</span>
        <ModeBadge />
        <nav aria-label="Views">
          <ul>
            {VIEWS.map((name) => (
              <li key={name}>
                <Link to={`/${name}`} className={route.view === name ? "active" : undefined} aria-current={route.view === name ? "page" : undefined}>
                  {TITLES[name]}
                  {name === "trades" && waiting > 0 ? <span className="count" aria-label={`${waiting} waiting for approval`}>{waiting}</span> : null}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="tools">
          <button type="button" onClick={() => { const next = theme === "dark" ? "light" : "dark"; applyTheme(next, localStorage); setTheme(next); }} aria-label={`Switch to ${theme === "dark" ? "light" : "dark"} theme`}>
            {theme === "dark" ? "Light" : "Dark"} theme
          </button>
          {session.token === undefined
            ? <button type="button" className="primary" onClick={() => { setSigningIn(true); }}>Sign in</button>
            : <button type="button" onClick={() => { sessionStore.signOut(); }} title="Forget the token in this tab">Sign out{session.actor === "" ? "" : ` (${session.actor})`}</button>}
        </div>
      </header>
      <HealthBanner />
      {/* Records reconnects on every view, so the Connection view's history has no gaps. */}
      <ConnectionHistoryRecorder />
      {signingIn ? <div className="signin-panel"><SignIn onDone={() => { setSigningIn(false); }} /></div> : null}
      <main id="main" tabIndex={-1}>
        {view}
      </main>
    </div>
  );
}
