// The operator's own ConfigMaps (for now one: the Mesos maintenance schedule). Read, created and
// replaced with the resourceVersion read, so two writers cannot overwrite each other's change.
import type { CoreV1Api } from "@kubernetes/client-node";
import { isNotFound, toKubeError } from "./kubeErrors.ts";

export interface StoredConfigMap {
  data: Record<string, string>;
  resourceVersion: string | undefined;
}

export class ConfigMapWriter {
  constructor(
    private readonly core: CoreV1Api,
    private readonly fieldManager: string,
  ) {}

  /** The ConfigMap's data, or undefined when it does not exist. */
  async get(namespace: string, name: string): Promise<StoredConfigMap | undefined> {
    try {
      const cm = await this.core.readNamespacedConfigMap({ namespace, name });
      return { data: cm.data ?? {}, resourceVersion: cm.metadata?.resourceVersion };
    } catch (err) {
      const e = toKubeError(err, `read configmap ${namespace}/${name}`);
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /**
   * Writes `data`: creates the ConfigMap when `resourceVersion` is undefined, else replaces it at
   * that version (409 Conflict when someone changed it since).
   */
  async put(
    namespace: string,
    name: string,
    data: Record<string, string>,
    resourceVersion: string | undefined,
    labels: Record<string, string> = {},
  ): Promise<void> {
    const body = { metadata: { name, namespace, labels, resourceVersion }, data };
    try {
      if (resourceVersion === undefined)
        await this.core.createNamespacedConfigMap({ namespace, body, fieldManager: this.fieldManager });
      else
        await this.core.replaceNamespacedConfigMap({
          namespace,
          name,
          body,
          fieldManager: this.fieldManager,
        });
    } catch (err) {
      throw toKubeError(err, `write configmap ${namespace}/${name}`);
    }
  }
}
