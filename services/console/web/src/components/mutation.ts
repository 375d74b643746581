import { Code, ConnectError } from "@connectrpc/connect";
import { useCallback, useState } from "react";

export interface Mutation<A extends unknown[]> {
  readonly run: (...args: A) => Promise<boolean>;
  readonly busy: boolean;
  readonly error: string | undefined;
  readonly clearError: () => void;
}

/** A user-facing sentence for a failed mutating call. */
export function explainMutationError(error: unknown): string {
  if (error instanceof ConnectError) {
    switch (error.code) {
      case Code.Unauthenticated: return "Sign in with the console token to do this (the all-in-one prints a sign-in link at start).";
      case Code.PermissionDenied: return error.rawMessage;
      case Code.Aborted: return error.rawMessage;
      case Code.Unavailable: return `The console cannot reach the store or a service right now: ${error.rawMessage}. Nothing was changed.`;
      default: return error.rawMessage;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs a mutating call with a busy flag set synchronously (the button reacts in the same frame)
 * and the error kept for display; resolves true on success.
 */
export function useMutation<A extends unknown[]>(call: (...args: A) => Promise<unknown>): Mutation<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const run = useCallback(async (...args: A) => {
    setBusy(true);
    setError(undefined);
    try {
      await call(...args);
      return true;
    } catch (e) {
      setError(explainMutationError(e));
      return false;
    } finally {
      setBusy(false);
    }
  }, [call]);
  return { run, busy, error, clearError: () => { setError(undefined); } };
}
