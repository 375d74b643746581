/**
 * Approve, reject and close: the only ways the console moves money. Each opens a confirmation
 * that restates the order; approval needs the "I checked the preview" box and is sent for the
 * resourceVersion the trader looked at — if the Trade changes while the dialog is open, the
 * dialog says so and asks for a new review instead of approving what was not seen. The card
 * shows the outcome in the same frame as the confirm click (optimistic), and the store's stream
 * takes over from there.
 */
import type { TradeResource } from "@spreadops/resources/schema";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useClients, useSession } from "../../api/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { clockTime, num, usd } from "../../components/format";
import { useMutation } from "../../components/mutation";
import { Pnl, TradeMode, tradeTitle } from "./bits";
import { Legs, limitText, multiplierFor, OrderSummary } from "./OrderSummary";
import { isClosable, isDecidable, pendingStillNeeded, proposalChanges, prunePending, shownUnrealized, tradeIdOf, type ExecutionQuote, type Pending, type PendingAction } from "./trade-model";

export interface TradeActions {
  /** The optimistic marker of a trade, while the store has not caught up with it. */
  pendingOf(trade: TradeResource): Pending | undefined;
  /** The explanation shown after clicking an action that cannot run (not signed in, read-only console). */
  noteOf(name: string): string | undefined;
  request(action: PendingAction, trade: TradeResource): void;
  readonly dialogs: ReactNode;
}

const VERB: Record<PendingAction, string> = { approve: "approve", reject: "reject", close: "close a position" };

interface Open {
  readonly action: PendingAction;
  readonly name: string;
  /** The Trade as it was when the dialog opened. */
  readonly seen: TradeResource;
}

export function useTradeActions(options: {
  trades: readonly TradeResource[];
  quotes: ReadonlyMap<string, ExecutionQuote>;
  executionLive: boolean;
  /** False when the console was started without a token; undefined while unknown. */
  mutationsEnabled: boolean | undefined;
}): TradeActions {
  const { trades, quotes, executionLive, mutationsEnabled } = options;
  const clients = useClients();
  const session = useSession();
  const [pending, setPending] = useState<ReadonlyMap<string, Pending>>(new Map());
  const [note, setNote] = useState<{ name: string; text: string } | undefined>(undefined);
  const [open, setOpen] = useState<Open | undefined>(undefined);

  const approve = useMutation(useCallback((name: string, resourceVersion: string) => clients.console.approveTrade({ name, resourceVersion }), [clients]));
  const reject = useMutation(useCallback((name: string, resourceVersion: string, reason: string) => clients.console.rejectTrade({ name, resourceVersion, reason }), [clients]));
  const close = useMutation(useCallback((name: string, resourceVersion: string) => clients.console.closeTrade({ name, resourceVersion }), [clients]));

  const byName = useMemo(() => new Map(trades.map((t) => [t.metadata.name, t])), [trades]);
  const byNameRef = useRef(byName);
  byNameRef.current = byName;

  // Drop the markers the store has caught up with.
  useEffect(() => { setPending((current) => prunePending(current, trades)); }, [trades]);
  // Signing in answers the "sign in to …" note.
  useEffect(() => { if (session.token !== undefined) setNote(undefined); }, [session.token]);

  const mark = (name: string, marker: Pending | undefined) => {
    setPending((current) => {
      const next = new Map(current);
      if (marker === undefined) next.delete(name); else next.set(name, marker);
      return next;
    });
  };

  const request = (action: PendingAction, trade: TradeResource) => {
    const name = trade.metadata.name;
    if (session.token === undefined) {
      setNote({ name, text: `Sign in to ${VERB[action]}: use "Sign in" at the top right. Reading needs no token; every change is recorded with your name.` });
      return;
    }
    if (mutationsEnabled === false) {
      setNote({ name, text: `This console was started without a token, so it is read-only: it cannot ${VERB[action]}. Use kubectl or the spreadops CLI, or restart the console with a token.` });
      return;
    }
    setNote(undefined);
    approve.clearError();
    reject.clearError();
    close.clearError();
    setOpen({ action, name, seen: trade });
  };

  const finish = (name: string, marker: Pending, ok: boolean) => {
    if (ok) {
      // Answered: keep the marker only while the store has not shown the change yet.
      const trade = byNameRef.current.get(name);
      mark(name, pendingStillNeeded(marker, trade) ? { ...marker, inFlight: false } : undefined);
      setOpen(undefined);
    } else {
      mark(name, undefined);
    }
  };

  const current = open === undefined ? undefined : byName.get(open.name);
  let dialogs: ReactNode = null;
  if (open?.action === "approve") {
    dialogs = (
      <ApproveDialog
        key={open.name}
        initial={open.seen}
        current={current}
        busy={approve.busy}
        error={approve.error}
        executionMultiplier={multiplierOfQuote(open.seen, quotes)}
        onCancel={() => { setOpen(undefined); }}
        onConfirm={(seen) => {
          const rv = seen.metadata.resourceVersion ?? "";
          const marker: Pending = { action: "approve", resourceVersion: rv, inFlight: true };
          mark(open.name, marker); // same frame as the click
          void approve.run(open.name, rv).then((ok) => { finish(open.name, marker, ok); });
        }}
      />
    );
  } else if (open?.action === "reject") {
    dialogs = (
      <RejectDialog
        key={open.name}
        trade={current ?? open.seen}
        gone={current === undefined}
        busy={reject.busy}
        error={reject.error}
        onCancel={() => { setOpen(undefined); }}
        onConfirm={(reason) => {
          // Rejecting the newest version is always what was meant: nothing is placed.
          const rv = (current ?? open.seen).metadata.resourceVersion ?? "";
          const marker: Pending = { action: "reject", resourceVersion: rv, inFlight: true };
          mark(open.name, marker);
          void reject.run(open.name, rv, reason).then((ok) => { finish(open.name, marker, ok); });
        }}
      />
    );
  } else if (open?.action === "close") {
    const trade = current ?? open.seen;
    const id = tradeIdOf(trade);
    const quote = id === undefined ? undefined : quotes.get(id);
    dialogs = (
      <CloseDialog
        key={open.name}
        trade={trade}
        gone={current === undefined}
        quote={quote}
        executionLive={executionLive}
        busy={close.busy}
        error={close.error}
        onCancel={() => { setOpen(undefined); }}
        onConfirm={() => {
          // The P&L moves the object's version every few seconds; the close is meant for the
          // position as it is now, so it goes with the newest version the console holds.
          const rv = trade.metadata.resourceVersion ?? "";
          const marker: Pending = { action: "close", resourceVersion: rv, inFlight: true };
          mark(open.name, marker);
          void close.run(open.name, rv).then((ok) => { finish(open.name, marker, ok); });
        }}
      />
    );
  }

  return {
    pendingOf: (trade) => {
      const marker = pending.get(trade.metadata.name);
      return marker !== undefined && (marker.inFlight || pendingStillNeeded(marker, trade)) ? marker : undefined;
    },
    noteOf: (name) => (note?.name === name ? note.text : undefined),
    request,
    dialogs,
  };
}

function multiplierOfQuote(trade: TradeResource, quotes: ReadonlyMap<string, ExecutionQuote>): number | undefined {
  const id = tradeIdOf(trade);
  return id === undefined ? undefined : quotes.get(id)?.multiplier;
}

function ModeLine({ trade }: { trade: TradeResource }) {
  const live = trade.spec?.mode === "live";
  return (
    <p className={`mode-line ${live ? "live" : "paper"}`}>
      <TradeMode mode={trade.spec?.mode} /> {live ? "LIVE account — this order uses real money." : "Paper account — simulated money."}
    </p>
  );
}

function ApproveDialog(props: {
  initial: TradeResource;
  current: TradeResource | undefined;
  busy: boolean;
  error: string | undefined;
  executionMultiplier: number | undefined;
  onConfirm: (seen: TradeResource) => void;
  onCancel: () => void;
}) {
  const [seen, setSeen] = useState(props.initial);
  const [checked, setChecked] = useState(false);
  const { current, busy } = props;
  // While the call is out the store may already show the approval: that is not a change to review.
  const newer = !busy && current !== undefined && current.metadata.resourceVersion !== seen.metadata.resourceVersion ? current : undefined;
  const changed = newer !== undefined;
  const gone = !busy && current === undefined;
  const decidedAs = !busy && current !== undefined && !changed && !isDecidable(current) ? current : undefined;
  const decided = decidedAs !== undefined;
  const hasPreview = seen.status?.preview !== undefined;
  const changes = newer === undefined ? [] : proposalChanges(seen, newer);
  // A tick for one version is no tick for another.
  const newerVersion = newer?.metadata.resourceVersion;
  useEffect(() => { if (newerVersion !== undefined) setChecked(false); }, [newerVersion]);
  return (
    <ConfirmDialog
      open
      title={`Approve ${tradeTitle(seen)}`}
      confirmLabel={seen.spec?.mode === "live" ? "Approve LIVE order" : "Approve order"}
      confirmTestId="confirm-approve"
      tone={seen.spec?.mode === "live" ? "danger" : "primary"}
      confirmDisabled={!checked || changed || gone || decided || !hasPreview}
      busy={busy}
      error={props.error}
      onCancel={props.onCancel}
      onConfirm={() => { if (checked && !changed && !gone && !decided && hasPreview) props.onConfirm(seen); }}
    >
      <ModeLine trade={seen} />
      <p>Approving sends this opening order to the broker, at this limit or better:</p>
      <OrderSummary trade={seen} executionMultiplier={props.executionMultiplier} />
      {hasPreview ? null : <p className="error">There is no what-if preview yet; wait for it before approving.</p>}
      {newer !== undefined ? (
        <div className="changed-warning" role="alert" data-testid="proposal-changed">
          <p><strong>This proposal changed while you were looking (new preview); review it again.</strong></p>
          {changes.length === 0
            ? <p className="hint">Only its bookkeeping changed (resourceVersion {seen.metadata.resourceVersion} → {newer.metadata.resourceVersion}), but the approval must name the new version.</p>
            : <ul>{changes.map((c) => <li key={c.field}>{c.field}: {c.before} → {c.after}</li>)}</ul>}
          <button type="button" data-testid="review-again" onClick={() => { setSeen(newer); setChecked(false); }}>Show the new version</button>
        </div>
      ) : null}
      {gone ? <p className="error" role="alert">This Trade was deleted while the dialog was open.</p> : null}
      {decidedAs === undefined ? null : <p className="error" role="alert">This Trade can no longer be approved (phase {decidedAs.status?.phase ?? "unknown"}{decidedAs.spec?.approved === true ? ", already approved" : ""}{decidedAs.spec?.rejected === true ? ", rejected" : ""}).</p>}
      <label className="check">
        <input type="checkbox" data-testid="confirm-checked" checked={checked} disabled={changed || gone} onChange={(e) => { setChecked(e.target.checked); }} />
        I checked the preview
      </label>
    </ConfirmDialog>
  );
}

function RejectDialog(props: {
  trade: TradeResource;
  gone: boolean;
  busy: boolean;
  error: string | undefined;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState("");
  const decidable = props.busy || isDecidable(props.trade);
  return (
    <ConfirmDialog
      open
      title={`Reject ${tradeTitle(props.trade)}`}
      confirmLabel="Reject proposal"
      confirmTestId="confirm-reject"
      tone="danger"
      confirmDisabled={props.gone || !decidable}
      busy={props.busy}
      error={props.error}
      onCancel={props.onCancel}
      onConfirm={() => { props.onConfirm(reason.trim()); }}
    >
      <p>The proposal ends Rejected and is never placed.</p>
      <Legs trade={props.trade} />
      <p className="hint">Limit {limitText(props.trade, multiplierFor(props.trade))}</p>
      {props.gone ? <p className="error" role="alert">This Trade was deleted while the dialog was open.</p> : null}
      {!decidable ? <p className="error" role="alert">This Trade can no longer be rejected (phase {props.trade.status?.phase ?? "unknown"}).</p> : null}
      <label>
        Reason (optional; recorded in the Trade's events and the audit log)
        <textarea data-testid="reject-reason" rows={3} maxLength={1000} value={reason} onChange={(e) => { setReason(e.target.value); }} />
      </label>
    </ConfirmDialog>
  );
}

function CloseDialog(props: {
  trade: TradeResource;
  gone: boolean;
  quote: ExecutionQuote | undefined;
  executionLive: boolean;
  busy: boolean;
  error: string | undefined;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { trade, quote } = props;
  const spec = trade.spec;
  const pnl = shownUnrealized(trade, quote, props.executionLive);
  const offset = spec?.execution?.limitOffset;
  const walk = spec?.execution?.walk;
  const closable = props.busy || isClosable(trade);
  const filled = trade.status?.filledQuantity;
  return (
    <ConfirmDialog
      open
      title={`Close ${tradeTitle(trade)}`}
      confirmLabel={spec?.mode === "live" ? "Send LIVE closing order" : "Send closing order"}
      confirmTestId="confirm-close"
      tone="danger"
      confirmDisabled={props.gone || !closable}
      busy={props.busy}
      error={props.error}
      onCancel={props.onCancel}
      onConfirm={props.onConfirm}
    >
      <ModeLine trade={trade} />
      <p>
        A closing order (a SELL of the same combo{filled === undefined ? "" : ` for the ${num(filled, 0)} open spread${filled === 1 ? "" : "s"}`}) is sent at a limit
        derived from the market: the current mid{quote?.currentMid === undefined ? "" : ` (${usd(quote.currentMid)} / share at ${clockTime(quote.at)})`} moved
        toward natural by {offset === undefined ? "no offset" : `${usd(offset)} / share`}{walk === undefined ? "" : `, then walked toward natural in ${walk.steps} steps every ${walk.every}`}.
        It may not fill at once, and the fill price may differ from what is shown here.
      </p>
      {trade.status?.phase === "PartiallyFilled" ? <p className="warn-note">The opening order is only partly filled: its rest is cancelled first, then the filled part is closed.</p> : null}
      <Legs trade={trade} reverse />
      <dl className="facts">
        <dt>Unrealized P&amp;L now</dt>
        <dd>
          <Pnl value={pnl.value} />
          <span className="hint"> {pnl.source === "execution" ? `execution service, ${clockTime(pnl.at)}${pnl.stale ? " (stale)" : ""}` : pnl.source === "status" ? "from the Trade status" : "unknown: no quotes"}</span>
        </dd>
        <dt>Realized so far</dt><dd><Pnl value={trade.status?.realizedPnl} /></dd>
      </dl>
      {props.gone ? <p className="error" role="alert">This Trade was deleted while the dialog was open.</p> : null}
      {!closable ? <p className="error" role="alert">This Trade can no longer be closed from here (phase {trade.status?.phase ?? "unknown"}{spec?.close === true ? ", close already requested" : ""}).</p> : null}
    </ConfirmDialog>
  );
}
