import { useEffect, useRef, type ReactNode } from "react";

/**
 * A modal confirmation on the native <dialog> (focus trap, Escape closes, inert background).
 * The confirm button is not focused by default: a stray Enter must not send an order.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** "danger" styles the confirm button red (close a position, reject). */
  tone?: "primary" | "danger";
  busy?: boolean;
  /** Disables confirm (e.g. a required checkbox unticked). */
  confirmDisabled?: boolean;
  error?: string | undefined;
  /** data-testid of the confirm button, for the browser tests. */
  confirmTestId?: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog ref={ref} className="confirm" aria-labelledby="confirm-title" onCancel={(e) => { e.preventDefault(); props.onCancel(); }}>
      <h2 id="confirm-title">{props.title}</h2>
      <div className="confirm-body">{props.children}</div>
      {props.error === undefined ? null : <p className="error" role="alert">{props.error}</p>}
      <div className="actions">
        <button type="button" onClick={props.onCancel} autoFocus>Cancel</button>
        <button
          type="button"
          className={props.tone === "danger" ? "danger" : "primary"}
          disabled={props.busy === true || props.confirmDisabled === true}
          aria-busy={props.busy === true}
          data-testid={props.confirmTestId}
          onClick={props.onConfirm}
        >
          {props.busy === true ? "Working…" : props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
