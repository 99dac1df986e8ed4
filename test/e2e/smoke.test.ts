import { type V1Pod, VersionApi } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addFakeNode,
  failWith,
  markNodeNotReady,
  markNodeUnreachable,
  removeNode,
  restoreNode,
  succeedAfter,
  waitNodeReady,
} from "./support/fakeNodes.ts";
import { isNotFound, kubeClients } from "./support/kube.ts";
import { waitFor } from "./support/wait.ts";

// The foundation's smoke suite: the local control plane behaves like a real cluster for the
// things the operator depends on (scheduling, pod phases, node lifecycle, garbage collection).
const c = kubeClients();
const ns = `smoke-${Date.now().toString(36)}`;

function pod(name: string, meta: Pick<NonNullable<V1Pod["metadata"]>, "labels" | "annotations"> = {}): V1Pod {
  return {
    metadata: { name, namespace: ns, ...meta },
    spec: {
      containers: [
        { name: "main", image: "busybox", resources: { requests: { cpu: "100m", memory: "64Mi" } } },
      ],
    },
  };
}

async function podPhase(name: string): Promise<V1Pod> {
  return c.core.readNamespacedPod({ name, namespace: ns });
}

beforeAll(async () => {
  await c.core.createNamespace({ body: { metadata: { name: ns } } });
});

afterAll(async () => {
  await c.core.deleteNamespace({ name: ns }).catch(() => undefined);
});

describe("local cluster smoke", () => {
  it("has every fake node Ready, annotated kwok.x-k8s.io/node=fake", async () => {
    const nodes = await c.core.listNode({ labelSelector: "type=kwok" });
    expect(nodes.items.length).toBeGreaterThanOrEqual(1);
    for (const n of nodes.items) {
      expect(n.metadata?.annotations?.["kwok.x-k8s.io/node"]).toBe("fake");
      expect(n.status?.conditions?.find((x) => x.type === "Ready")?.status).toBe("True");
    }
  });

  it("reports the real Kubernetes version", async () => {
    const v = await c.kc.makeApiClient(VersionApi).getCode();
    expect(v.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
    expect(v.gitVersion).not.toBe("v0.0.0");
  });

  it("schedules a plain pod with kube-scheduler onto a fake node, and it reaches Running", async () => {
    await c.core.createNamespacedPod({ namespace: ns, body: pod("plain") });
    const p = await waitFor("pod plain to be Running", async () => {
      const p = await podPhase("plain");
      return p.status?.phase === "Running" ? p : undefined;
    });
    const node = await c.core.readNode({ name: p.spec?.nodeName ?? "" });
    expect(node.metadata?.annotations?.["kwok.x-k8s.io/node"]).toBe("fake");
  });

  it("makes a pod told to succeed reach Succeeded with exit code 0", async () => {
    await c.core.createNamespacedPod({ namespace: ns, body: pod("ok", succeedAfter("500ms")) });
    const p = await waitFor("pod ok to succeed", async () => {
      const p = await podPhase("ok");
      return p.status?.phase === "Succeeded" ? p : undefined;
    });
    expect(p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(0);
  });

  it("makes a pod told to fail reach Failed with the chosen exit code and reason", async () => {
    await c.core.createNamespacedPod({
      namespace: ns,
      body: pod("bad", failWith(137, "OOMKilled", "out of memory")),
    });
    const p = await waitFor("pod bad to fail", async () => {
      const p = await podPhase("bad");
      return p.status?.phase === "Failed" ? p : undefined;
    });
    const term = p.status?.containerStatuses?.[0]?.state?.terminated;
    expect(term?.exitCode).toBe(137);
    expect(term?.reason).toBe("OOMKilled");
    expect(term?.message).toBe("out of memory");
  });

  it("garbage-collects a pod whose owner is deleted", async () => {
    const owner = await c.core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: "owner" }, data: { a: "b" } },
    });
    const owned = pod("owned");
    owned.metadata = {
      ...owned.metadata,
      ownerReferences: [
        { apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: owner.metadata?.uid ?? "" },
      ],
    };
    await c.core.createNamespacedPod({ namespace: ns, body: owned });
    await c.core.deleteNamespacedConfigMap({ name: "owner", namespace: ns, propagationPolicy: "Background" });
    await waitFor("pod owned to be garbage-collected", async () => {
      try {
        await podPhase("owned");
        return false;
      } catch (err) {
        return isNotFound(err);
      }
    });
  });
});

describe("node lifecycle", () => {
  const notReady = `${ns}-notready`;
  const unreachable = `${ns}-unreachable`;

  afterAll(async () => {
    await removeNode(c, notReady);
    await removeNode(c, unreachable);
  });

  it("taints a node told to go NotReady with node.kubernetes.io/not-ready", async () => {
    await addFakeNode(c, notReady);
    await markNodeNotReady(c, notReady);
    await waitFor(
      `node ${notReady} to carry the not-ready taint`,
      async () => {
        const n = await c.core.readNode({ name: notReady });
        const ready = n.status?.conditions?.find((x) => x.type === "Ready");
        return (
          ready?.status === "False" && n.spec?.taints?.some((t) => t.key === "node.kubernetes.io/not-ready")
        );
      },
      { timeoutMs: 45_000 },
    );
  });

  it("taints a node that stops heartbeating with node.kubernetes.io/unreachable", async () => {
    await addFakeNode(c, unreachable);
    await markNodeUnreachable(c, unreachable);
    await waitFor(
      `node ${unreachable} to carry the unreachable taint`,
      async () => {
        const n = await c.core.readNode({ name: unreachable });
        const ready = n.status?.conditions?.find((x) => x.type === "Ready");
        return (
          ready?.status === "Unknown" &&
          n.spec?.taints?.some((t) => t.key === "node.kubernetes.io/unreachable")
        );
      },
      { timeoutMs: 60_000 },
    );
  });

  it("brings an unreachable node back to Ready when restored", async () => {
    await restoreNode(c, unreachable);
    await waitNodeReady(c, unreachable, 45_000);
  });
});
