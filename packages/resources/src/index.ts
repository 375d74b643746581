export * from "./store/types.js";
export * from "./crd/types.js";
export { EmbeddedStore } from "./store/embedded/embedded-store.js";
export type { EmbeddedStoreOptions, PersistentStoreOptions } from "./store/embedded/embedded-store.js";
export type { TypeRegistration, ValidationCause, ValidationContext, ValidationResult } from "./store/embedded/type-registry.js";
export type { StorePersistence, StoreSnapshot } from "./store/persistence.js";
export * from "./crd/schema.js";
export type { CelRule } from "./crd/schema-builders.js";
export { crdFiles, crds, renderCrdYaml, strategyCrd, tradeCrd, REGENERATE_CRDS_COMMAND } from "./crd/crd-manifests.js";
export type { CrdVersion, CustomResourceDefinition, JsonSchemaProps, PrinterColumn, ValidationRule } from "./crd/crd-manifests.js";
export { compileCrdValidator } from "./crd/validate.js";
export { crdTypeRegistrations, resourceTypeOf } from "./crd/type-registrations.js";
export type { CrdValidationResult, CrdValidator, FieldCause, FieldValidation, ValidateOptions } from "./crd/validate.js";
export {
  CrFieldError, durationFromProto, durationToProto, evaluateExitsRequestFor, exitRulesToProto, expiryFromProto, expiryToProto,
  fromStrategySpecProto, placeSpreadRequestFor, priceWalkToProto, toStrategySpecProto, tradeNameFor, tradeSpecFromProposal, tradeSpecToProto,
} from "./crd/strategy-mapping.js";
export { tradePhaseFromProto } from "./crd/trade-phase-mapping.js";
export { KubernetesResourceStore, createKubernetesResourceStore } from "./kube/kubernetes-store.js";
export { clusterResourceStore } from "./kube/cluster-store.js";
export type { KubernetesResourceStoreOptions } from "./kube/kubernetes-store.js";
export { KubernetesApiError } from "./kube/errors.js";
export {
  createSelfSignedCertificate, createStoreApiHandler, generateStoreApiToken, kubeconfigText, startStoreApiServer, storeApiKubeConfig, writeKubeconfig,
} from "./kube/store-api/index.js";
export type { CertificateAndKey, KubeconfigOptions, SelfSignedOptions, StoreApiListenOptions, StoreApiOptions, StoreApiServer } from "./kube/store-api/index.js";
export { FilePersistence } from "./store/file-persistence.js";
export { openFileStore } from "./store/file-store.js";
export {
  LAST_APPLIED_ANNOTATION, ManifestError, applyManifests, applyObject, loadManifests, parseManifests, resourceTypeLookup,
} from "./store/manifests.js";
export type { AppliedDocument, ApplyAction, ApplyResult, ManifestDocument, ResourceTypeLookup } from "./store/manifests.js";
