import { useState } from "react";
import { useSession, useSessionStore } from "../api/context";

/** Sign-in form: the console token (from the all-in-one's banner or the chart's Secret) and a name for the audit log. */
export function SignIn({ onDone }: { onDone: () => void }) {
  const store = useSessionStore();
  const session = useSession();
  const [token, setToken] = useState("");
  const [actor, setActor] = useState(session.actor);
  const [error, setError] = useState<string | undefined>(undefined);
  return (
    <form
      className="signin"
      aria-label="Sign in"
      onSubmit={(event) => {
        event.preventDefault();
        if (token.trim().length < 16) { setError("The token has at least 16 characters; copy it from the start banner or the console Secret."); return; }
        store.signIn(token.trim(), actor.trim());
        onDone();
      }}
    >
      <p>Reading needs no token. Approving, closing and editing do: every such action is recorded with your name.</p>
      <label>Console token<input type="password" autoComplete="off" value={token} onChange={(e) => { setToken(e.target.value); }} required aria-invalid={error !== undefined} aria-describedby={error === undefined ? undefined : "signin-error"} /></label>
      <label>Your name (for the audit log)<input type="text" value={actor} maxLength={64} onChange={(e) => { setActor(e.target.value); }} placeholder="e.g. alice" /></label>
      {error === undefined ? null : <p id="signin-error" className="error" role="alert">{error}</p>}
      <div className="actions">
        <button type="button" onClick={onDone}>Cancel</button>
        <button type="submit" className="primary">Sign in</button>
      </div>
    </form>
  );
}
