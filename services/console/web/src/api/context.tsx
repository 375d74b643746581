import { createContext, useContext, useSyncExternalStore, type ReactNode } from "react";
import type { ConsoleClients } from "./clients";
import type { Session, SessionStore } from "./session";

interface ApiContextValue {
  readonly clients: ConsoleClients;
  readonly session: SessionStore;
}

const ApiContext = createContext<ApiContextValue | undefined>(undefined);

export function ApiProvider({ clients, session, children }: ApiContextValue & { children: ReactNode }) {
  return <ApiContext.Provider value={{ clients, session }}>{children}</ApiContext.Provider>;
}

function useApi(): ApiContextValue {
  const value = useContext(ApiContext);
  if (value === undefined) throw new Error("useClients outside ApiProvider");
  return value;
}

/** The Connect clients of the console's origin. */
export function useClients(): ConsoleClients {
  return useApi().clients;
}

export function useSessionStore(): SessionStore {
  return useApi().session;
}

/** The current session (token present = signed in), re-rendering on sign-in/out. */
export function useSession(): Session {
  const store = useApi().session;
  return useSyncExternalStore((listener) => store.subscribe(listener), () => store.current);
}
