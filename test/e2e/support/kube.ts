import * as k8s from "@kubernetes/client-node";
import { inject } from "vitest";

/** API clients for the cluster the e2e global setup provides. */
export function kubeClients() {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(inject("kubeconfig"));
  return {
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    coord: kc.makeApiClient(k8s.CoordinationV1Api),
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
  };
}

export type KubeClients = ReturnType<typeof kubeClients>;

/** Options for a merge-patch request (client-node defaults to JSON-Patch). */
export const mergePatch = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch);

/** True when an error from client-node is an HTTP 404. */
export function isNotFound(err: unknown): boolean {
  return err instanceof k8s.ApiException && err.code === 404;
}
