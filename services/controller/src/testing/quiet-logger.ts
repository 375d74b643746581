import type { Logger } from "@spreadops/runtime";
import { createLogger } from "@spreadops/runtime";

/** A logger that writes nothing (test helper). */
export function quietLogger(): Logger {
  return createLogger({ service: "controller-test", level: "silent", destination: { write: () => true } });
}
