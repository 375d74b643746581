import { EmbeddedStore } from "./embedded/embedded-store.js";
import type { EmbeddedStoreOptions } from "./embedded/embedded-store.js";
import { FilePersistence } from "./file-persistence.js";

/** The laptop store: an {@link EmbeddedStore} whose state lives in `<dataDir>/store.json`. */
export function openFileStore(options: EmbeddedStoreOptions & { readonly dataDir: string }): Promise<EmbeddedStore> {
  return EmbeddedStore.open({ ...options, persistence: new FilePersistence(options.dataDir) });
}
