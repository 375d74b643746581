import { applyManifests, loadManifests, resourceTypeLookup, STRATEGY, TRADE } from "@spreadops/resources";
import type { StoreSession } from "./resource-commands.js";

/**
 * `spreadops apply -f`: kubectl's client-side apply of every file or folder given, in order; one
 * line per object ("strategy/x created|configured|unchanged"). The first failure stops and names
 * its file and document; what was applied before it stays applied, as with kubectl.
 */
export async function applyManifestFiles(session: StoreSession, files: readonly string[]): Promise<string[]> {
  const types = resourceTypeLookup([STRATEGY, TRADE]);
  const lines: string[] = [];
  for (const file of files) {
    for (const applied of await applyManifests(session.store, types, await loadManifests(file), session.namespace)) {
      lines.push(`${applied.type.kind.toLowerCase()}/${applied.object.metadata.name} ${applied.action}`);
    }
  }
  return lines;
}
