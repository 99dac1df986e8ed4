import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { isNotFound, type KubeClients, mergePatch } from "./kube.ts";
import { waitFor } from "./wait.ts";

/** Labels and annotations understood by the kwok stages in hack/kwok/stages.yaml. */
export const sim = {
  outcomeLabel: "sim.mesos.operator.dev/outcome",
  afterAnnotation: "sim.mesos.operator.dev/after",
  exitCodeAnnotation: "sim.mesos.operator.dev/exit-code",
  reasonAnnotation: "sim.mesos.operator.dev/reason",
  messageAnnotation: "sim.mesos.operator.dev/message",
  nodeConditionLabel: "sim.mesos.operator.dev/node-condition",
  kwokManagedAnnotation: "kwok.x-k8s.io/node",
  unreachableLeaseHolder: "sim.mesos.operator.dev/unreachable",
} as const;

export interface FakeNodeOptions {
  cpu?: string;
  memory?: string;
  pods?: string;
  /** ephemeral-storage (the Mesos `disk` resource); default 100Gi. */
  disk?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Creates a fake node managed by kwok and waits until it is Ready. */
export async function addFakeNode(c: KubeClients, name: string, opts: FakeNodeOptions = {}): Promise<V1Node> {
  const allocatable = {
    cpu: opts.cpu ?? "8",
    memory: opts.memory ?? "32Gi",
    pods: opts.pods ?? "110",
    "ephemeral-storage": opts.disk ?? "100Gi",
  };
  await c.core.createNode({
    body: {
      metadata: {
        name,
        annotations: { [sim.kwokManagedAnnotation]: "fake", ...opts.annotations },
        labels: { type: "kwok", "kubernetes.io/hostname": name, ...opts.labels },
      },
      status: { allocatable, capacity: allocatable },
    },
  });
  return waitNodeReady(c, name);
}

export async function waitNodeReady(c: KubeClients, name: string, timeoutMs = 60_000): Promise<V1Node> {
  return waitFor(
    `node ${name} to be Ready`,
    async () => {
      const n = await c.core.readNode({ name });
      return n.status?.conditions?.some((x) => x.type === "Ready" && x.status === "True") ? n : undefined;
    },
    { timeoutMs },
  );
}

export async function removeNode(c: KubeClients, name: string): Promise<void> {
  try {
    await c.core.deleteNode({ name });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Makes kwok report Ready=False for the node while it keeps heartbeating (NotReady, not unreachable). */
export async function markNodeNotReady(c: KubeClients, name: string): Promise<void> {
  await c.core.patchNode(
    { name, body: { metadata: { labels: { [sim.nodeConditionLabel]: "NotReady" } } } },
    mergePatch,
  );
}

/**
 * Makes the node unreachable: kwok's node stages leave it alone (label) and its Lease is taken
 * over by another holder with a long duration, so kwok stops renewing it and
 * kube-controller-manager sees no heartbeat (Ready=Unknown, unreachable taint) after the grace
 * period. Changing kwok's management annotation does not work: kwok filters updates of nodes
 * that leave its selector and keeps renewing their leases.
 */
export async function markNodeUnreachable(c: KubeClients, name: string): Promise<void> {
  await c.core.patchNode(
    { name, body: { metadata: { labels: { [sim.nodeConditionLabel]: "Unreachable" } } } },
    mergePatch,
  );
  await c.coord.patchNamespacedLease(
    {
      name,
      namespace: "kube-node-lease",
      body: {
        spec: {
          holderIdentity: sim.unreachableLeaseHolder,
          leaseDurationSeconds: 86_400,
          renewTime: new Date().toISOString().replace("Z", "000Z"),
        },
      },
    },
    mergePatch,
  );
}

/** Undoes markNodeNotReady / markNodeUnreachable. */
export async function restoreNode(c: KubeClients, name: string): Promise<void> {
  await c.core.patchNode(
    { name, body: { metadata: { labels: { [sim.nodeConditionLabel]: null } } } },
    mergePatch,
  );
  // kwok re-creates a missing lease for a node it manages.
  await c.coord.deleteNamespacedLease({ name, namespace: "kube-node-lease" }).catch((err: unknown) => {
    if (!isNotFound(err)) throw err;
  });
}

/** Pod metadata that makes a pod succeed after `after` (Go duration) once Running. */
export function succeedAfter(after = "1s"): Pick<NonNullable<V1Pod["metadata"]>, "labels" | "annotations"> {
  return { labels: { [sim.outcomeLabel]: "succeed" }, annotations: { [sim.afterAnnotation]: after } };
}

/** Pod metadata that makes a pod fail with the given exit code and reason once Running. */
export function failWith(
  exitCode: number,
  reason = "Error",
  message = "container failed",
  after = "1s",
): Pick<NonNullable<V1Pod["metadata"]>, "labels" | "annotations"> {
  return {
    labels: { [sim.outcomeLabel]: "fail" },
    annotations: {
      [sim.afterAnnotation]: after,
      [sim.exitCodeAnnotation]: String(exitCode),
      [sim.reasonAnnotation]: reason,
      [sim.messageAnnotation]: message,
    },
  };
}
