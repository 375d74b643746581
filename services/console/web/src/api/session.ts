/**
 * The console session: the token that authorises mutating calls and the name the user gives for
 * the audit log. The all-in-one prints a link with `#token=…`; a fragment never reaches a server
 * or a log, and we remove it from the address bar at once so it is not bookmarked or shared.
 * Kept in sessionStorage: closing the tab signs out.
 */
const TOKEN_KEY = "spreadops.console.token";
const ACTOR_KEY = "spreadops.console.actor";

export interface Session {
  readonly token: string | undefined;
  readonly actor: string;
}

type Listener = (session: Session) => void;

export class SessionStore {
  readonly #storage: Storage;
  readonly #listeners = new Set<Listener>();
  #session: Session;

  constructor(storage: Storage) {
    this.#storage = storage;
    this.#session = { token: storage.getItem(TOKEN_KEY) ?? undefined, actor: storage.getItem(ACTOR_KEY) ?? "" };
  }

  /** Takes `#token=…` out of the address bar into the session; returns the cleaned hash. */
  adoptFragment(hash: string): string {
    const params = new URLSearchParams(hash.startsWith("#") ? hash.slice(1) : hash);
    const token = params.get("token");
    if (token === null || token === "") return hash;
    params.delete("token");
    this.signIn(token, this.#session.actor);
    const rest = params.toString();
    return rest === "" ? "" : `#${rest}`;
  }

  get current(): Session {
    return this.#session;
  }

  signIn(token: string, actor: string): void {
    this.#storage.setItem(TOKEN_KEY, token);
    this.#storage.setItem(ACTOR_KEY, actor);
    this.#set({ token, actor });
  }

  signOut(): void {
    this.#storage.removeItem(TOKEN_KEY);
    this.#set({ token: undefined, actor: this.#session.actor });
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #set(session: Session): void {
    this.#session = session;
    for (const listener of this.#listeners) listener(session);
  }
}
