import { CustomObjectsApi, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FrameworkKind } from "../../controllers/api/index.ts";
import { CustomResourceClient } from "../../controllers/cluster/customObjects.ts";
import { addFinalizer, removeFinalizer } from "../../controllers/cluster/finalizers.ts";
import { isConflict, KubeError } from "../../controllers/cluster/kubeErrors.ts";
import { PodWriter } from "../../controllers/cluster/pods.ts";
import { ensureCrds } from "./support/crds.ts";
import { addFakeNode, removeNode } from "./support/fakeNodes.ts";
import { kubeClients, mergePatch } from "./support/kube.ts";
import { waitFor } from "./support/wait.ts";

// The write helpers against the real API server: pods bound like a scheduler binds them, and our
// custom resources written with server-side apply, merge patches, preconditions and finalizers.
const c = kubeClients();
const ns = `writes-${Date.now().toString(36)}`;
const nodeA = `${ns}-a`;
const nodeB = `${ns}-b`;
const pods = new PodWriter(c.core, "mesos-operator-e2e");
const frameworks = new CustomResourceClient(
  c.kc.makeApiClient(CustomObjectsApi),
  FrameworkKind,
  "mesos-operator-e2e",
);

const taskPod = (name: string): V1Pod => ({
  metadata: { name, namespace: ns, labels: { "mesos.operator.dev/task": name } },
  spec: {
    schedulerName: "mesos-operator",
    containers: [
      { name: "main", image: "busybox", resources: { requests: { cpu: "100m", memory: "32Mi" } } },
    ],
  },
});

async function rejected(p: Promise<unknown>): Promise<KubeError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KubeError) return err;
    throw err;
  }
  throw new Error("expected a KubeError");
}

beforeAll(async () => {
  ensureCrds();
  await c.core.createNamespace({ body: { metadata: { name: ns } } });
  await Promise.all([addFakeNode(c, nodeA), addFakeNode(c, nodeB)]);
});

afterAll(async () => {
  await c.core.deleteNamespace({ name: ns }).catch(() => undefined);
  await Promise.all([removeNode(c, nodeA), removeNode(c, nodeB)]);
});

describe("pod writes", () => {
  it("creates a pod once, binds it to a fake node where it goes Running, and treats a repeat bind as done", async () => {
    const first = await pods.createIfAbsent(taskPod("t1"));
    expect(first.created).toBe(true);
    expect(first.pod.spec?.nodeName).toBeUndefined();
    expect(first.pod.metadata.creationTimestamp).toMatch(/Z$/);
    const again = await pods.createIfAbsent(taskPod("t1"));
    expect(again.created).toBe(false);
    expect(again.pod.metadata.uid).toBe(first.pod.metadata.uid);

    const ref = { namespace: ns, name: "t1" };
    expect(await pods.bind(ref, nodeA, { uid: first.pod.metadata.uid })).toBe("bound");
    const running = await waitFor("t1 Running on the fake node", async () => {
      const p = await pods.get(ref);
      return p?.status?.phase === "Running" ? p : undefined;
    });
    expect(running.spec?.nodeName).toBe(nodeA);
    expect(running.spec?.schedulerName).toBe("mesos-operator");
    expect(await pods.bind(ref, nodeA, { uid: first.pod.metadata.uid })).toBe("alreadyBound");
    const elsewhere = await rejected(pods.bind(ref, nodeB));
    expect(elsewhere.code).toBe(409);
  });

  it("refuses to bind or delete a newer pod of the same name (uid preconditions)", async () => {
    const { pod } = await pods.createIfAbsent(taskPod("t2"));
    const ref = { namespace: ns, name: "t2" };
    const staleUid = "00000000-0000-0000-0000-000000000000";
    expect((await rejected(pods.bind(ref, nodeA, { uid: staleUid }))).code).toBe(409);
    expect((await pods.get(ref))?.spec?.nodeName).toBeUndefined();
    expect(isConflict(await rejected(pods.delete(ref, { uid: staleUid })))).toBe(true);
    expect(await pods.delete(ref, { uid: pod.metadata.uid, gracePeriodSeconds: 0 })).toBe(true);
    await waitFor("t2 gone", async () => (await pods.get(ref)) === undefined);
    expect(await pods.delete(ref)).toBe(false);
  });

  it("locks a metadata patch to a resourceVersion", async () => {
    const { pod } = await pods.createIfAbsent(taskPod("t3"));
    const ref = { namespace: ns, name: "t3" };
    const patched = await pods.mergePatch(
      ref,
      { metadata: { annotations: { a: "1" } } },
      { resourceVersion: pod.metadata.resourceVersion },
    );
    expect(patched.metadata.annotations?.a).toBe("1");
    const stale = await rejected(
      pods.mergePatch(
        ref,
        { metadata: { annotations: { a: "2" } } },
        { resourceVersion: pod.metadata.resourceVersion },
      ),
    );
    expect(isConflict(stale)).toBe(true);
  });
});

describe("custom resource writes", () => {
  const ref = { namespace: ns, name: "fw" };
  const spec = { user: "nobody", roles: ["web"], capabilities: ["MULTI_ROLE" as const] };

  it("applies spec and status server-side, merges status patches, and locks them to a resourceVersion", async () => {
    const created = await frameworks.apply({ metadata: { name: "fw", namespace: ns }, spec });
    expect(created.kind).toBe("Framework");
    expect(created.spec.roles).toEqual(["web"]);
    // Applying the same intent again changes nothing.
    const same = await frameworks.apply({ metadata: { name: "fw", namespace: ns }, spec });
    expect(same.metadata.resourceVersion).toBe(created.metadata.resourceVersion);

    const registered = await frameworks.applyStatus(ref, { phase: "Registered", frameworkId: "e2e-0001" });
    expect(registered.status?.phase).toBe("Registered");
    const counted = await frameworks.mergePatchStatus(
      ref,
      { activeTasks: 2 },
      { resourceVersion: registered.metadata.resourceVersion },
    );
    expect(counted.status).toMatchObject({ phase: "Registered", frameworkId: "e2e-0001", activeTasks: 2 });
    const stale = await rejected(
      frameworks.mergePatchStatus(
        ref,
        { activeTasks: 3 },
        { resourceVersion: registered.metadata.resourceVersion },
      ),
    );
    expect(isConflict(stale)).toBe(true);
    // A status write leaves the spec alone, and a spec write leaves the status alone.
    const relabelled = await frameworks.mergePatch(ref, { metadata: { labels: { team: "a" } } });
    expect(relabelled.status?.activeTasks).toBe(2);
    expect((await frameworks.get(ref))?.metadata.labels?.team).toBe("a");
  });

  it("adds and removes finalizers without dropping one added concurrently, then deletes with preconditions", async () => {
    const fw = await frameworks.get(ref);
    if (!fw) throw new Error("framework fw missing");
    const withOurs = await addFinalizer(frameworks, fw, "mesos.operator.dev/teardown");
    expect(withOurs.metadata.finalizers).toEqual(["mesos.operator.dev/teardown"]);
    // Someone else adds theirs; our copy is now stale.
    await c.custom.patchNamespacedCustomObject(
      {
        group: "mesos.operator.dev",
        version: "v1alpha1",
        namespace: ns,
        plural: "frameworks",
        name: "fw",
        body: { metadata: { finalizers: ["mesos.operator.dev/teardown", "example.com/other"] } },
      },
      mergePatch,
    );
    const withoutOurs = await removeFinalizer(frameworks, withOurs, "mesos.operator.dev/teardown");
    expect(withoutOurs?.metadata.finalizers).toEqual(["example.com/other"]);

    const wrongUid = await rejected(frameworks.delete(ref, { uid: "00000000-0000-0000-0000-000000000000" }));
    expect(isConflict(wrongUid)).toBe(true);
    expect(await frameworks.delete(ref, { uid: fw.metadata.uid })).toBe(true);
    const terminating = await frameworks.get(ref);
    expect(terminating?.metadata.deletionTimestamp).toBeDefined();
    if (!terminating) throw new Error("unreachable");
    expect(await removeFinalizer(frameworks, terminating, "example.com/other")).toBeDefined();
    await waitFor("fw gone", async () => (await frameworks.get(ref)) === undefined);
    expect(await frameworks.delete(ref)).toBe(false);
  });
});
