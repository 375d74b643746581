/** A phase as a coloured pill; the colour is a hint, the text carries the meaning. */
const TONE: Record<string, string> = {
  Active: "good", Open: "good", Closed: "muted", Approved: "info", Previewed: "info", Submitted: "info", PartiallyFilled: "info", Closing: "info",
  Proposed: "attention", Paused: "muted", Halted: "bad", Degraded: "warn", Invalid: "bad", Rejected: "bad", Cancelled: "muted", Expired: "muted",
};

export function PhaseBadge({ phase }: { phase: string | undefined }) {
  const text = phase ?? "Pending";
  return <span className={`badge ${TONE[text] ?? "muted"}`}>{text}</span>;
}
