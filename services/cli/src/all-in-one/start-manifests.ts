import { isStoreError, loadManifests, ManifestError, resourceTypeLookup, STRATEGY, TRADE, type ResourceStore } from "@spreadops/resources";

/**
 * Creates the start manifests (k8s/examples by default) that are not in the store yet, one line
 * per object. An object that exists is left as it is: the user may have edited, paused or
 * deleted-and-recreated it since, and a restart must not undo that.
 */
export async function loadStartManifests(store: ResourceStore, path: string, namespace: string): Promise<string[]> {
  const types = resourceTypeLookup([STRATEGY, TRADE]);
  const lines: string[] = [];
  for (const { source, document, object } of await loadManifests(path)) {
    const type = types.lookup(object.apiVersion, object.kind);
    if (type === undefined) throw new ManifestError(source, document, `not a Strategy or Trade (${object.apiVersion}, Kind=${object.kind})`);
    const scoped = { ...object, metadata: { ...object.metadata, namespace: object.metadata.namespace ?? namespace } };
    const label = `${type.kind.toLowerCase()}/${scoped.metadata.name}`;
    try {
      await store.create(type, scoped);
      lines.push(`${label} created`);
    } catch (error) {
      if (!isStoreError(error, "AlreadyExists")) throw new ManifestError(source, document, `${label}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      lines.push(`${label} exists, left as it is`);
    }
  }
  return lines;
}
