/** The inputs of one risk decision, logged with it. */
export interface RiskInputs {
  /** What-if initial margin change, account currency; undefined = unknown. */
  readonly initMargin: number | undefined;
  /** AvailableFunds from the account summary; undefined = unknown. */
  readonly availableFunds: number | undefined;
  /** Max loss of the whole order, USD. */
  readonly maxLossUsd: number;
  /** Per-trade limit on max loss, USD. */
  readonly maxRiskPerTradeUsd: number;
  /** Placed without a human's approval. */
  readonly automatic: boolean;
}

/** The verdict: refusals in plain language; empty = allowed. */
export interface RiskVerdict {
  readonly allowed: boolean;
  readonly refusals: readonly string[];
}

/**
 * The pre-send risk gate. Fails closed: unknown margin refuses automatic orders (manual
 * approval may still place them, as the proto says), known margin above known available funds
 * always refuses, unknown available funds refuse whenever margin is known (we cannot prove the
 * order fits), and max loss above the per-trade limit always refuses.
 */
export function riskGate(inputs: RiskInputs): RiskVerdict {
  const refusals: string[] = [];
  if (inputs.initMargin === undefined) {
    if (inputs.automatic) refusals.push("what-if margin is unknown; automatic execution needs a known margin");
  } else if (inputs.availableFunds === undefined) {
    refusals.push("available funds are unknown");
  } else if (inputs.initMargin > inputs.availableFunds) {
    refusals.push(`margin ${inputs.initMargin.toFixed(2)} exceeds available funds ${inputs.availableFunds.toFixed(2)}`);
  }
  if (!(inputs.maxLossUsd <= inputs.maxRiskPerTradeUsd)) {
    refusals.push(`max loss ${inputs.maxLossUsd.toFixed(2)} USD exceeds the per-trade limit ${inputs.maxRiskPerTradeUsd.toFixed(2)} USD`);
  }
  return { allowed: refusals.length === 0, refusals };
}
