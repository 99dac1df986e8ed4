import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Controller, watch } from "../../controllers/cluster/controller.ts";
import { keyOf, splitKey } from "../../controllers/cluster/store.ts";
import { parseConfig } from "../../controllers/config.ts";
import { silentLogger } from "../../controllers/logging.ts";
import { type Operator, type OperatorContext, startOperator } from "../../controllers/main.ts";
import { ensureCrds } from "./support/crds.ts";
import { kubeClients } from "./support/kube.ts";
import { replicaFlags } from "./support/operatorFlags.ts";
import { waitFor } from "./support/wait.ts";

// The Controller interface end to end, as the reconcilers will use it: two operator replicas in
// this process share a Lease; a test controller that stamps pods runs only on the leader, retries
// a failing key, and moves to the standby when the leader shuts down.
const c = kubeClients();
const ns = `runtime-${Date.now().toString(36)}`;
const STAMP = "e2e.mesos.operator.dev/stamped-by";

const reconciled: { replica: string; key: string }[] = [];
const operators: Operator[] = [];
let flakyFailures = 0;

function stamper(ctx: OperatorContext): Controller[] {
  const pods = ctx.cluster.informers.pods;
  return [
    {
      name: "stamper",
      watches: [watch(pods, (p) => (p.metadata.namespace === ns ? [keyOf(p)] : []))],
      async reconcile(key, rctx) {
        reconciled.push({ replica: ctx.config.identity, key });
        const pod = pods.cache.get(key);
        if (!pod || pod.metadata.annotations?.[STAMP]) return undefined;
        if (splitKey(key).name === "flaky" && flakyFailures < 2) {
          flakyFailures++;
          throw new Error("transient failure");
        }
        if (rctx.signal.aborted) return undefined;
        await ctx.cluster.writers.pods.mergePatch(
          { namespace: ns, name: splitKey(key).name },
          { metadata: { annotations: { [STAMP]: ctx.config.identity } } },
          { resourceVersion: pod.metadata.resourceVersion },
        );
        ctx.cluster.events.record(pod, {
          type: "Normal",
          reason: "Stamped",
          action: "Stamp",
          note: ctx.config.identity,
        });
        return undefined;
      },
    },
  ];
}

async function replica(identity: string): Promise<Operator> {
  const { config } = parseConfig([...replicaFlags(ns, identity), "--metrics-port", "0"], {});
  const op = await startOperator({ config, log: silentLogger(), controllers: [stamper], runnables: [] });
  operators.push(op);
  return op;
}

const pod = (name: string) => ({
  metadata: { name, namespace: ns },
  spec: { containers: [{ name: "main", image: "busybox" }] },
});

async function stampOf(name: string): Promise<string | undefined> {
  const p = await c.core.readNamespacedPod({ name, namespace: ns });
  return p.metadata?.annotations?.[STAMP];
}

beforeAll(async () => {
  ensureCrds();
  await c.core.createNamespace({ body: { metadata: { name: ns } } });
});

afterAll(async () => {
  await Promise.all(operators.map((o) => o.stop()));
  await c.core.deleteNamespace({ name: ns }).catch(() => undefined);
});

describe("controllers run only on the leader", () => {
  it("reconciles on the leader only, retries failures, and fails over on shutdown", async () => {
    const a = await replica("runtime-a");
    await waitFor("a to lead", async () => a.elector?.isLeader() && a.manager.running);
    const b = await replica("runtime-b");
    await waitFor("b synced", async () => b.context.cluster.allInformers().every((i) => i.hasSynced()));

    for (const name of ["p1", "p2", "flaky"])
      await c.core.createNamespacedPod({ namespace: ns, body: pod(name) });
    for (const name of ["p1", "p2", "flaky"]) {
      await waitFor(`${name} stamped`, async () => (await stampOf(name)) === "runtime-a");
    }
    expect(flakyFailures).toBe(2);
    expect(reconciled.some((r) => r.replica === "runtime-b")).toBe(false);
    expect(b.manager.running).toBe(false);
    // Two injected failures, plus any write conflicts (the scheduler and kwok update the pods
    // while we stamp them; a stale resourceVersion is refused and the key retried).
    const metrics = (await a.context.metrics.render()).body;
    const value = (re: RegExp) => Number(re.exec(metrics)?.[1] ?? 0);
    expect(value(/workqueue_retries_total\{name="stamper"\} (\d+)/)).toBeGreaterThanOrEqual(2);
    expect(
      value(/controller_runtime_reconcile_total\{controller="stamper",result="error"\} (\d+)/),
    ).toBeGreaterThanOrEqual(2);

    await a.stop();
    await waitFor(
      "b to lead and run its controllers",
      async () => b.elector?.isLeader() && b.manager.running,
      {
        intervalMs: 100,
      },
    );
    // Taking over starts with a full pass over the cache: b sees the existing pods.
    await waitFor(
      "b's first pass",
      async () => reconciled.filter((r) => r.replica === "runtime-b").length >= 3,
    );
    await c.core.createNamespacedPod({ namespace: ns, body: pod("p3") });
    await waitFor("p3 stamped by b", async () => (await stampOf("p3")) === "runtime-b");
    expect(await stampOf("p1")).toBe("runtime-a");
  });
});
