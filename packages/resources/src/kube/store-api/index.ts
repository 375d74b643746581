export { createStoreApiHandler, startStoreApiServer } from "./server.js";
export type { StoreApiListenOptions, StoreApiOptions, StoreApiServer } from "./server.js";
export { generateStoreApiToken } from "./auth.js";
export { kubeconfigText, storeApiKubeConfig, writeKubeconfig } from "./kubeconfig.js";
export type { KubeconfigOptions } from "./kubeconfig.js";
export { createSelfSignedCertificate } from "./self-signed.js";
export type { CertificateAndKey, SelfSignedOptions } from "./self-signed.js";
export type { PrinterColumn } from "./table.js";
