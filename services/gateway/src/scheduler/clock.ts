import type { Clock as RuntimeClock } from "@spreadops/runtime";

export { systemClock, type CancelTimer } from "@spreadops/runtime";

/** The part of the runtime's clock the scheduler and the connection use: the time and one-shot timers. */
export type Clock = Pick<RuntimeClock, "now" | "setTimer">;
