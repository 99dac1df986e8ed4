import type http from "node:http";
import type https from "node:https";
import { CustomObjectsApi } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FrameworkKind } from "../../controllers/api/index.ts";
import { CustomResourceClient } from "../../controllers/cluster/customObjects.ts";
import { Informer, type InformerControl } from "../../controllers/cluster/informer.ts";
import { KubeHttp } from "../../controllers/cluster/kubeHttp.ts";
import { kubeListWatchSource, type ListWatchSource } from "../../controllers/cluster/listWatchSource.ts";
import type { Node } from "../../controllers/cluster/nodeSchema.ts";
import type { Pod } from "../../controllers/cluster/podSchema.ts";
import {
  customResource,
  nodesResource,
  POD_NODE_INDEX,
  podsResource,
} from "../../controllers/cluster/resources.ts";
import type { ObjectWithMeta } from "../../controllers/cluster/store.ts";
import { countingInformerMetrics } from "../../controllers/cluster/testing.ts";
import { silentLogger } from "../../controllers/logging.ts";
import { ensureCrds } from "./support/crds.ts";
import { addFakeNode, removeNode } from "./support/fakeNodes.ts";
import { kubeClients, mergePatch } from "./support/kube.ts";
import { waitFor } from "./support/wait.ts";

// The informer against a real API server: lists, watches, survives a cut connection and a 410.
const c = kubeClients();
const ns = `informer-${Date.now().toString(36)}`;
const nodeName = `${ns}-node`;

/** A KubeHttp whose live connections a test can cut, as a network failure would. */
class BreakableKubeHttp extends KubeHttp {
  private readonly live = new Set<http.ClientRequest>();
  protected override request(url: URL, options: https.RequestOptions): http.ClientRequest {
    const req = super.request(url, options);
    if (url.searchParams.get("watch") === "true") {
      // Counted once the server has answered: the stream is then really open.
      req.on("response", () => this.live.add(req));
      req.on("close", () => this.live.delete(req));
    }
    return req;
  }
  /** Destroys the socket of every open watch; returns how many were cut. */
  cutAll(): number {
    let n = 0;
    for (const req of this.live) {
      if (req.socket && !req.socket.destroyed) {
        req.socket.destroy();
        n++;
      }
    }
    return n;
  }
}

function recorder<T extends ObjectWithMeta>(informer: Informer<T>, only: (o: T) => boolean) {
  const seen: string[] = [];
  informer.addHandlers({
    onAdd: (o) => only(o) && seen.push(`add ${o.metadata?.name}`),
    onUpdate: (a, b) =>
      only(b) &&
      a.metadata?.resourceVersion !== b.metadata?.resourceVersion &&
      seen.push(`update ${b.metadata?.name}`),
    onDelete: (o, i) =>
      only(o) && seen.push(`delete ${o.metadata?.name}${i.finalStateUnknown ? " (relist)" : ""}`),
  });
  return seen;
}

const pod = (name: string, nodeName?: string) => ({
  metadata: { name, namespace: ns, labels: { test: ns } },
  spec: {
    ...(nodeName ? { nodeName } : {}),
    containers: [{ name: "main", image: "busybox", resources: { requests: { cpu: "10m", memory: "16Mi" } } }],
  },
});

const frameworks = new CustomResourceClient(
  c.kc.makeApiClient(CustomObjectsApi),
  FrameworkKind,
  "mesos-operator-e2e",
);

const informers: InformerControl[] = [];
function track<T extends ObjectWithMeta>(i: Informer<T>): Informer<T> {
  informers.push(i);
  return i;
}

beforeAll(async () => {
  ensureCrds();
  await c.core.createNamespace({ body: { metadata: { name: ns } } });
  await addFakeNode(c, nodeName, { labels: { "informer-test": ns } });
});

afterAll(async () => {
  await Promise.all(informers.map((i) => i.stop()));
  await c.core.deleteNamespace({ name: ns }).catch(() => undefined);
  await removeNode(c, nodeName);
});

describe("informer against the API server", () => {
  it("lists and watches nodes: adds, updates with old and new, deletes", async () => {
    const r = nodesResource();
    const nodes = track(
      new Informer<Node>({
        name: r.name,
        source: kubeListWatchSource(new KubeHttp(c.kc), { path: r.path }),
        decode: r.decode,
        log: silentLogger(),
      }),
    );
    const extra = `${ns}-extra`;
    const seen = recorder(nodes, (n) => n.metadata.name === extra || n.metadata.name === nodeName);
    nodes.start();
    await nodes.waitForSync();
    expect(nodes.cache.get(nodeName)?.metadata.labels?.["informer-test"]).toBe(ns);
    expect(nodes.cache.get(nodeName)?.kind).toBe("Node");
    expect(seen).toContain(`add ${nodeName}`);

    await addFakeNode(c, extra);
    await waitFor("the new node in the cache", async () => nodes.cache.get(extra));
    await c.core.patchNode({ name: extra, body: { metadata: { labels: { touched: "yes" } } } }, mergePatch);
    await waitFor(
      "the label change in the cache",
      async () => nodes.cache.get(extra)?.metadata.labels?.touched === "yes",
    );
    await removeNode(c, extra);
    await waitFor("the node to leave the cache", async () => !nodes.cache.has(extra));
    const forExtra = seen.filter((s) => s.endsWith(extra));
    expect(forExtra[0]).toBe(`add ${extra}`);
    expect(forExtra).toContain(`update ${extra}`);
    expect(forExtra.at(-1)).toBe(`delete ${extra}`);
  });

  it("lists and watches pods, indexed by node, through phases to deletion", async () => {
    const r = podsResource();
    const pods = track(
      new Informer<Pod>({
        name: r.name,
        source: kubeListWatchSource(new KubeHttp(c.kc), { path: r.path }),
        decode: r.decode,
        indexers: r.indexers,
        log: silentLogger(),
      }),
    );
    const seen = recorder(pods, (p) => p.metadata.namespace === ns);
    pods.start();
    await pods.waitForSync();
    await c.core.createNamespacedPod({ namespace: ns, body: pod("p1", nodeName) });
    const running = await waitFor("pod p1 Running in the cache", async () => {
      const p = pods.cache.getByName(ns, "p1");
      return p?.status?.phase === "Running" ? p : undefined;
    });
    expect(running.spec?.nodeName).toBe(nodeName);
    expect(running.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(pods.cache.byIndex(POD_NODE_INDEX, nodeName).map((p) => p.metadata.name)).toEqual(["p1"]);
    expect(pods.cache.listByNamespace(ns)).toHaveLength(1);
    await c.core.deleteNamespacedPod({ name: "p1", namespace: ns, gracePeriodSeconds: 0 });
    await waitFor("pod p1 to leave the cache", async () => !pods.cache.getByName(ns, "p1"));
    expect(pods.cache.byIndex(POD_NODE_INDEX, nodeName)).toEqual([]);
    expect(seen[0]).toBe("add p1");
    expect(seen).toContain("update p1");
    expect(seen.at(-1)).toBe("delete p1");
  });

  it("survives a cut connection: reconnects from its resourceVersion and misses nothing", async () => {
    const transport = new BreakableKubeHttp(c.kc);
    const { counts, metrics } = countingInformerMetrics();
    const r = podsResource();
    const pods = track(
      new Informer<Pod>({
        name: "pods-in-ns",
        source: kubeListWatchSource(transport, { path: `/api/v1/namespaces/${ns}/pods` }),
        decode: r.decode,
        log: silentLogger(),
        metrics,
        backoff: { initialMs: 200, maxMs: 1000, jitter: 0 },
      }),
    );
    pods.start();
    await pods.waitForSync();
    await waitFor("the watch to be open", async () => transport.cutAll() > 0, { intervalMs: 100 });
    // Changes made while the watch was down must still arrive (resume from the last version).
    await c.core.createNamespacedPod({ namespace: ns, body: pod("after-cut", nodeName) });
    await waitFor("the pod created after the cut", async () => pods.cache.getByName(ns, "after-cut"));
    expect(counts["restart:error"]).toBeGreaterThanOrEqual(1);
    expect(counts["relist:gone"]).toBeUndefined();
    expect(counts["relist:initial"]).toBe(1);
  });

  it("relists after 410 Gone and infers the deletes it missed", async () => {
    // Resuming from resourceVersion "1" is what a replica cut off for long would do. The API
    // server's watch cache for our CRD was filled when the CRD was installed, long after
    // resourceVersion 1, so it answers 410 Expired at once — a real 410, not a simulated one.
    const path = `/apis/mesos.operator.dev/v1alpha1/namespaces/${ns}/frameworks`;
    const spec = { user: "nobody", roles: ["web"] };
    for (const name of ["keep", "doomed"])
      await frameworks.create({ metadata: { name, namespace: ns }, spec });

    // The second watch is held until the test lets it go, then asks for resourceVersion "1".
    const real = kubeListWatchSource(new KubeHttp(c.kc), { path });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let watches = 0;
    const source: ListWatchSource = {
      description: real.description,
      list: (limit, cont) => real.list(limit, cont),
      watch(request, onEvent, onClose) {
        watches++;
        if (watches !== 2) return real.watch(request, onEvent, onClose);
        let handle: { stop(): void } | undefined;
        let stopped = false;
        void gate.then(() => {
          if (!stopped) handle = real.watch({ ...request, resourceVersion: "1" }, onEvent, onClose);
        });
        return {
          stop() {
            stopped = true;
            handle?.stop();
          },
        };
      },
    };
    const { counts, metrics } = countingInformerMetrics();
    const r = customResource(FrameworkKind);
    const informer = track(
      new Informer({
        name: "frameworks",
        source,
        decode: r.decode,
        log: silentLogger(),
        metrics,
        backoff: { initialMs: 100, maxMs: 100, jitter: 0 },
        // The watchdog ends the first (quiet) watch quickly, so the informer reconnects to the gate.
        stallTimeoutMs: 1500,
      }),
    );
    const seen = recorder(informer, () => true);
    informer.start();
    await informer.waitForSync();
    expect(informer.cache.getByName(ns, "doomed")?.spec.user).toBe("nobody");
    await waitFor("the informer to reconnect", async () => watches >= 2, { intervalMs: 100 });
    // While it is cut off: one framework goes, another comes.
    await frameworks.delete({ namespace: ns, name: "doomed" });
    await frameworks.create({ metadata: { name: "newcomer", namespace: ns }, spec });
    release();
    await waitFor("the relist after 410", async () => (counts["relist:gone"] ?? 0) >= 1);
    await waitFor("the cache to match the server", async () =>
      informer.cache.getByName(ns, "newcomer") && !informer.cache.getByName(ns, "doomed") ? true : undefined,
    );
    expect(seen).toContain("delete doomed (relist)");
    expect(seen).toContain("add newcomer");
    expect(informer.cache.getByName(ns, "keep")).toBeDefined();
    // After the relist it watches normally again: a later change arrives.
    await frameworks.delete({ namespace: ns, name: "keep" });
    await waitFor("the delete of keep by watch", async () => seen.includes("delete keep"));
    expect(counts["relist:gone"]).toBe(1);
  });
});
