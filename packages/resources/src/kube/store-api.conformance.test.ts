import { STRATEGY, TRADE } from "../crd/types.js";
import { resourceStoreConformance } from "../store/conformance/index.js";
import { EmbeddedStore } from "../store/embedded/embedded-store.js";
import { testRegistrations } from "../store/embedded/testing.js";
import { startLoopback } from "./testing/loopback.js";

const HISTORY = 50;

// The all-in-one's path: KubernetesResourceStore → HTTPS on loopback → store API → EmbeddedStore.
resourceStoreConformance("KubernetesResourceStore over the store API over EmbeddedStore", async () => {
  const backend = new EmbeddedStore({ types: testRegistrations(), historyLimit: HISTORY });
  const loop = await startLoopback(backend, [STRATEGY, TRADE], "spreadops-conformance");
  return {
    store: loop.client,
    cleanup: async () => {
      await loop.close();
      await backend.close();
      if (loop.internalErrors.length > 0) throw new Error(`the store API hid internal errors: ${String(loop.internalErrors[0])}`);
    },
    types: { strategy: STRATEGY, trade: TRADE },
    capabilities: { goneAfterHistory: HISTORY, specValidation: true },
  };
});
