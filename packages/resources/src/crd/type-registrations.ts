/**
 * The CRDs as the embedded store serves them: each type validated by its shipped CRD's schema and
 * CEL rules, as the API server would (the same YAML as `kubectl apply -f k8s/crds`).
 */
import type { ResourceType } from "../store/types.js";
import type { TypeRegistration } from "../store/embedded/type-registry.js";
import { crds, type CustomResourceDefinition } from "./crd-manifests.js";
import { compileCrdValidator } from "./validate.js";

/** The resource type a CRD defines, at its storage version. */
export function resourceTypeOf(crd: CustomResourceDefinition): ResourceType {
  const version = crd.spec.versions.find((v) => v.storage) ?? crd.spec.versions[0];
  return { group: crd.spec.group, version: version?.name ?? "", kind: crd.spec.names.kind, plural: crd.spec.names.plural, namespaced: crd.spec.scope === "Namespaced" };
}

/** Strategy and Trade with their CRD validators, for an EmbeddedStore. */
export function crdTypeRegistrations(): TypeRegistration[] {
  return crds().map((crd) => {
    const validator = compileCrdValidator(crd);
    // The stored object goes along on updates, so transition rules (oldSelf) hold as on a cluster.
    return { type: resourceTypeOf(crd), validate: (object, context) => validator.validate(object, context) };
  });
}
