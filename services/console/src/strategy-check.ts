import type { JsonObject } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import type { StrategyService } from "@spreadops/api";
import type { CrdValidator, KubeObject, StrategySpec } from "@spreadops/resources";
import { API_VERSION, CrFieldError, OBJECT_NAME_PATTERN, STRATEGY, compileCrdValidator, crds, toStrategySpecProto } from "@spreadops/resources";
import type { Logger } from "@spreadops/runtime";
import type { Violation } from "./store-errors.js";
import type { UpstreamMonitor } from "./upstreams.js";

const NAME_RE = new RegExp(OBJECT_NAME_PATTERN);

/** The outcome of a check: valid when nothing was found. */
export interface StrategyCheckResult {
  readonly valid: boolean;
  readonly violations: readonly Violation[];
}

let strategyValidator: CrdValidator | undefined;

/** The Strategy CRD's validator (schema + CEL rules), compiled once per process. */
export function strategyCrdValidator(): CrdValidator {
  if (strategyValidator === undefined) {
    const crd = crds().find((c) => c.spec.names.kind === STRATEGY.kind);
    if (crd === undefined) throw new Error("the Strategy CRD is missing from crds()");
    strategyValidator = compileCrdValidator(crd);
  }
  return strategyValidator;
}

/** Violations of a Kubernetes object name (DNS-1123 subdomain), at "metadata.name". */
export function nameViolations(name: string): Violation[] {
  if (name === "") return [{ field: "metadata.name", message: "Required value: a name is needed" }];
  if (name.length > 253) return [{ field: "metadata.name", message: `must be no more than 253 characters (got ${name.length})` }];
  if (!NAME_RE.test(name)) {
    return [{ field: "metadata.name", message: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'spy-bull-put')" }];
  }
  return [];
}

/** Options for {@link StrategyChecker}. */
export interface StrategyCheckerOptions {
  readonly namespace: string;
  readonly strategy: Pick<Client<typeof StrategyService>, "validateStrategy">;
  readonly monitor: Pick<UpstreamMonitor, "reachable" | "observe">;
  readonly logger: Logger;
  /** Longest the strategy service may take; default 5 s. */
  readonly timeoutMs?: number;
}

/**
 * CheckStrategy: the spec against the Strategy CRD's schema and CEL rules (exactly what the
 * store enforces on save), then, when that passes, against the strategy service's own rules
 * (ValidateStrategy, what turns a saved Strategy Invalid). The strategy service is advice: when
 * it cannot be reached or fails, the CRD's verdict stands alone and a log line says so.
 */
export class StrategyChecker {
  readonly #options: StrategyCheckerOptions;

  constructor(options: StrategyCheckerOptions) {
    this.#options = options;
  }

  async check(name: string, spec: JsonObject | undefined, signal?: AbortSignal): Promise<StrategyCheckResult> {
    const { namespace } = this.#options;
    const violations: Violation[] = nameViolations(name);
    const object: KubeObject = { apiVersion: API_VERSION, kind: STRATEGY.kind, metadata: { name, namespace }, ...(spec === undefined ? {} : { spec }) };
    const crd = strategyCrdValidator().validate(object);
    violations.push(...crd.causes.map((cause) => ({ field: cause.field, message: cause.message })));
    if (crd.causes.length === 0 && crd.object.spec !== undefined) {
      violations.push(...(await this.#serviceViolations(name, crd.object.spec as StrategySpec, signal)));
    }
    const unique = dedupe(violations);
    return { valid: unique.length === 0, violations: unique };
  }

  async #serviceViolations(name: string, spec: StrategySpec, signal?: AbortSignal): Promise<Violation[]> {
    const { strategy, monitor, logger } = this.#options;
    let request;
    try {
      request = { spec: toStrategySpecProto(spec) };
    } catch (error) {
      if (error instanceof CrFieldError) return [{ field: error.field, message: error.message.replace(`${error.field}: `, "") }];
      logger.warn({ err: error, strategy: name }, "could not convert the spec for the strategy service: checked against the CRD only");
      return [];
    }
    try {
      const response = await strategy.validateStrategy(request, { timeoutMs: this.#options.timeoutMs ?? 5_000, ...(signal === undefined ? {} : { signal }) });
      monitor.reachable("strategy");
      return response.violations.map((v) => ({ field: v.field, message: v.message }));
    } catch (error) {
      monitor.observe("strategy", error);
      logger.warn({ err: error, strategy: name }, "the strategy service did not check the spec: checked against the CRD only");
      return [];
    }
  }
}

function dedupe(violations: readonly Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.field}\u0000${v.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
