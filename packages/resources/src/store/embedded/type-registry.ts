import { StoreError, apiVersionOf } from "../types.js";
import type { KubeObject, ResourceType } from "../types.js";
import { show } from "./json.js";

/** One invalid field, as the API server reports it in `details.causes`. */
export interface ValidationCause {
  field: string;
  message: string;
}

/** What a validator returns: the object as it will be stored (e.g. defaults applied) and its problems. */
export interface ValidationResult {
  object: KubeObject;
  causes: readonly ValidationCause[];
}

/** What a validator is told besides the candidate. */
export interface ValidationContext {
  /** The stored object on an update (for CEL transition rules, `oldSelf`); absent on create. */
  readonly oldObject?: KubeObject;
}

/**
 * A type the store serves. `validate` plays the CRD's OpenAPI schema + CEL rules: it sees the
 * whole candidate object of every write and any cause rejects the write as Invalid (422). The
 * shape fits crd/validate.ts: `{ type: STRATEGY, validate: (o, c) => validator.validate(o, c) }`.
 */
export interface TypeRegistration {
  readonly type: ResourceType;
  // Method syntax on purpose: a validator typed for one resource (e.g. Strategy) still fits.
  validate?(object: KubeObject, context?: ValidationContext): ValidationResult;
}

/** Where a type's objects live: like etcd's `/registry/<group>/<plural>`, independent of version. */
export const typeKeyOf = (type: ResourceType): string => (type.group === "" ? type.plural : `${type.plural}.${type.group}`);

export const describeType = (type: ResourceType): string => `${typeKeyOf(type)}/${type.version} (${type.kind})`;

/** The registered types; every request names one, and an unknown one is NotFound. */
export class TypeRegistry {
  readonly #byKey = new Map<string, TypeRegistration>();

  constructor(registrations: readonly TypeRegistration[]) {
    for (const registration of registrations) {
      const key = typeKeyOf(registration.type);
      if (this.#byKey.has(key)) throw new Error(`resource type ${describeType(registration.type)} is registered twice`);
      this.#byKey.set(key, registration);
    }
  }

  /** The registration for `type`, or NotFound naming what is served instead. */
  resolve(type: ResourceType): TypeRegistration {
    const registration = this.#byKey.get(typeKeyOf(type));
    const registered = registration?.type;
    if (
      registration === undefined ||
      registered === undefined ||
      registered.version !== type.version ||
      registered.kind !== type.kind ||
      registered.namespaced !== type.namespaced
    ) {
      const served = [...this.#byKey.values()].map((r) => describeType(r.type)).join(", ");
      throw new StoreError(
        "NotFound",
        `the server could not find the requested resource: ${describeType(type)} is not served by this store (served: ${served === "" ? "none" : served})`,
      );
    }
    return registration;
  }

  types(): ResourceType[] {
    return [...this.#byKey.values()].map((registration) => ({ ...registration.type }));
  }
}

/** Fills in apiVersion/kind when absent (a typed client knows them) and refuses a body of another type. */
export function checkTypeOf(type: ResourceType, object: KubeObject): void {
  const apiVersion = apiVersionOf(type);
  const loose = object as Partial<KubeObject>;
  loose.apiVersion ??= apiVersion;
  loose.kind ??= type.kind;
  if (object.apiVersion !== apiVersion || object.kind !== type.kind) {
    throw new StoreError(
      "BadRequest",
      `the body is a ${show(object.apiVersion)}, Kind=${show(object.kind)} but the request is for ${apiVersion}, Kind=${type.kind}`,
    );
  }
}
