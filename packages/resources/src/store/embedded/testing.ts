import { STRATEGY, TRADE } from "../../crd/types.js";
import type { KubeObject } from "../types.js";
import type { TypeRegistration, ValidationCause } from "./type-registry.js";

/**
 * Registrations for tests: Strategy with a minimal stand-in for the CRD schema (spec.mode must
 * be paper or live), Trade without validation. The real validator lives in crd/.
 */
export function testRegistrations(): TypeRegistration[] {
  return [
    {
      type: STRATEGY,
      validate(object: KubeObject) {
        const causes: ValidationCause[] = [];
        const mode = (object.spec as { mode?: unknown } | undefined)?.mode;
        if (mode !== "paper" && mode !== "live") {
          causes.push({ field: "spec.mode", message: `Unsupported value: ${JSON.stringify(mode)}: supported values: "paper", "live"` });
        }
        return { object, causes };
      },
    },
    { type: TRADE },
  ];
}
