/**
 * Path routing on the History API: /connection, /strategies, /strategies/<name>, /scanner,
 * /trades, /trades/<name>, /activity. The console server answers index.html for every such path,
 * so links and reloads work. Every view is one click away in the navigation.
 */
import { createContext, useContext, useEffect, useState, type MouseEvent, type ReactNode } from "react";

export const VIEWS = ["connection", "strategies", "scanner", "trades", "activity"] as const;
export type ViewName = (typeof VIEWS)[number];

export interface Route {
  readonly view: ViewName;
  /** Segments after the view, decoded, e.g. ["my-strategy"]. */
  readonly rest: readonly string[];
  readonly search: URLSearchParams;
}

export function parseRoute(pathname: string, search: string): Route {
  const [first, ...rest] = pathname.split("/").filter((s) => s !== "").map((s) => decodeURIComponent(s));
  const view = (VIEWS as readonly string[]).includes(first ?? "") ? (first as ViewName) : "trades";
  return { view, rest, search: new URLSearchParams(search) };
}

interface RouterValue {
  readonly route: Route;
  readonly navigate: (to: string, options?: { replace?: boolean }) => void;
}

const RouterContext = createContext<RouterValue | undefined>(undefined);

export function RouterProvider({ children }: { children: ReactNode }) {
  const [route, setRoute] = useState(() => parseRoute(location.pathname, location.search));
  useEffect(() => {
    const onPop = () => { setRoute(parseRoute(location.pathname, location.search)); };
    addEventListener("popstate", onPop);
    return () => { removeEventListener("popstate", onPop); };
  }, []);
  const navigate = (to: string, options?: { replace?: boolean }) => {
    if (options?.replace === true) history.replaceState(null, "", to); else history.pushState(null, "", to);
    const url = new URL(to, location.origin);
    setRoute(parseRoute(url.pathname, url.search));
  };
  return <RouterContext.Provider value={{ route, navigate }}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (value === undefined) throw new Error("useRouter outside RouterProvider");
  return value;
}

/** An <a> that navigates without reloading (and still opens in a new tab with a modifier). */
export function Link({ to, children, className, ...rest }: { to: string; children: ReactNode; className?: string; "aria-current"?: "page" | undefined }) {
  const { navigate } = useRouter();
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} className={className} onClick={onClick} {...rest}>{children}</a>;
}
