/**
 * The global kill switch: when engaged, no new order (opening, closing or a walk's price move)
 * is sent. Cancels still go out — they only reduce exposure. Starts from the `--kill-switch`
 * config flag and can be toggled at runtime; every send path calls {@link KillSwitch.engaged}
 * right before sending.
 */
export class KillSwitch {
  #engaged: boolean;
  #reason: string;

  constructor(engaged: boolean, reason = "kill switch set in configuration") {
    this.#engaged = engaged;
    this.#reason = engaged ? reason : "";
  }

  /** True when new orders are refused. */
  get engaged(): boolean {
    return this.#engaged;
  }

  /** Why it is engaged; empty when released. */
  get reason(): string {
    return this.#reason;
  }

  /** Engages (true) or releases (false) the switch. */
  set(engaged: boolean, reason: string): void {
    this.#engaged = engaged;
    this.#reason = engaged ? reason : "";
  }
}
