import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Task } from "../../controllers/api/index.ts";
import { ensureCrds } from "./support/crds.ts";
import { addFakeNode, removeNode } from "./support/fakeNodes.ts";
import { kubeClients } from "./support/kube.ts";
import {
  customResources,
  deleteFrameworks,
  type OperatorProcess,
  startOperatorProcess,
} from "./support/operator.ts";
import { waitFor } from "./support/wait.ts";

// Crash safety: the operator is killed with SIGKILL at random moments while it launches many
// tasks and started again each time; afterwards every task ran exactly once, in one pod, bound to
// the node its status names, with no orphan and no duplicate pods.
const c = kubeClients();
const run = Date.now().toString(36);
const ns = `crash-${run}`;
const label = "e2e.mesos.operator.dev/agents";
const nodes = [0, 1, 2].map((i) => `crash-${run}-${i}`);
const TASKS = 200;
const KILLS = 10;
const frameworks = customResources(c, "frameworks");
const tasks = customResources(c, "tasks");
let operator: OperatorProcess | undefined;

// One identity for every incarnation: the restarted process is the Lease holder at once, as a
// restarted pod keeps its name.
const start = () => startOperatorProcess(ns, `crash-${run}`, `${label}=${ns}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  ensureCrds();
  await c.core.createNamespace({ body: { metadata: { name: ns } } });
  for (const n of nodes) await addFakeNode(c, n, { labels: { [label]: ns } });
  await frameworks.create(ns, {
    apiVersion: "mesos.operator.dev/v1alpha1",
    kind: "Framework",
    metadata: { name: "fleet" },
    spec: { user: "nobody" },
  });
});

afterAll(async () => {
  operator ??= start();
  await deleteFrameworks(c, ns);
  await operator.stop();
  await c.core.deleteNamespace({ name: ns }).catch(() => undefined);
  for (const n of nodes) await removeNode(c, n);
});

describe("crash safety", () => {
  it(`launches ${TASKS} tasks exactly once through ${KILLS} SIGKILLs`, async () => {
    operator = start();
    const creating = (async () => {
      for (let i = 0; i < TASKS; i += 20)
        await Promise.all(
          Array.from({ length: 20 }, (_, j) =>
            tasks.create(ns, {
              apiVersion: "mesos.operator.dev/v1alpha1",
              kind: "Task",
              metadata: { name: `t-${i + j}` },
              spec: {
                frameworkName: "fleet",
                resources: { cpus: 0.1, mem: 32 },
                command: { value: "sleep" },
              },
            }),
          ),
        );
    })();
    for (let k = 0; k < KILLS; k++) {
      // Killed at a random moment once it leads and allocates (before that there is nothing to break).
      const current = operator;
      await waitFor("the operator allocating", async () => current.output().includes("allocator rebuilt"), {
        timeoutMs: 60_000,
        intervalMs: 50,
      });
      await sleep(Math.floor(Math.random() * 1000));
      operator.child.kill("SIGKILL");
      await new Promise((r) => operator?.child.once("exit", r));
      operator = start();
    }
    await creating;
    const all = await waitFor(
      `all ${TASKS} tasks TASK_RUNNING`,
      async () => {
        const list = (await tasks.list(ns)).items as Task[];
        return list.length === TASKS && list.every((t) => t.status?.state === "TASK_RUNNING")
          ? list
          : undefined;
      },
      {
        timeoutMs: 120_000,
        intervalMs: 500,
        describe: async () => {
          const list = (await tasks.list(ns)).items as Task[];
          const notRunning = list.filter((t) => t.status?.state !== "TASK_RUNNING");
          return `${notRunning.length} not running: ${JSON.stringify(notRunning.slice(0, 3).map((t) => [t.metadata.name, t.status]))}\n${operator?.output().slice(-4000)}`;
        },
      },
    );
    for (const t of all) {
      const states = (t.status?.updates ?? []).map((u) => u.state);
      expect(
        states.filter((s) => s === "TASK_STAGING"),
        t.metadata.name,
      ).toHaveLength(1);
      expect(
        states.filter((s) => s === "TASK_RUNNING"),
        t.metadata.name,
      ).toHaveLength(1);
    }
    const pods = (await c.core.listNamespacedPod({ namespace: ns })).items;
    expect(pods).toHaveLength(TASKS);
    const byName = new Map(pods.map((p) => [p.metadata?.name, p]));
    for (const t of all) {
      const pod = byName.get(t.status?.podName);
      expect(pod, t.metadata.name).toBeDefined();
      expect(pod?.metadata?.ownerReferences?.[0]?.uid).toBe(t.metadata.uid);
      expect(pod?.spec?.nodeName).toBe(t.status?.nodeName);
    }
  }, 300_000);
  it("two operators leading at once (split brain) never launch a task twice", async () => {
    // Separate Leases: both lead, both allocate the same nodes and see the same Tasks.
    const other = startOperatorProcess(`${ns}`, `crash-${run}-twin`, `${label}=${ns}`, [
      "--lease-name",
      "split-brain-twin",
    ]);
    try {
      await waitFor("the twin allocating", async () => other.output().includes("allocator rebuilt"), {
        timeoutMs: 60_000,
      });
      const names = Array.from({ length: 40 }, (_, i) => `twin-${i}`);
      await Promise.all(
        names.map((name) =>
          tasks.create(ns, {
            apiVersion: "mesos.operator.dev/v1alpha1",
            kind: "Task",
            metadata: { name },
            spec: { frameworkName: "fleet", resources: { cpus: 0.05, mem: 16 }, command: { value: "sleep" } },
          }),
        ),
      );
      const twins = await waitFor(
        "every twin task TASK_RUNNING",
        async () => {
          const list = ((await tasks.list(ns)).items as Task[]).filter((t) =>
            names.includes(t.metadata.name ?? ""),
          );
          return list.length === names.length && list.every((t) => t.status?.state === "TASK_RUNNING")
            ? list
            : undefined;
        },
        { timeoutMs: 60_000 },
      );
      const pods = (await c.core.listNamespacedPod({ namespace: ns })).items.filter((p) =>
        (p.metadata?.ownerReferences ?? []).some((o) => names.includes(o.name)),
      );
      expect(pods).toHaveLength(names.length);
      for (const t of twins) {
        const states = (t.status?.updates ?? []).map((u) => u.state);
        expect(
          states.filter((x) => x === "TASK_STAGING"),
          t.metadata.name,
        ).toHaveLength(1);
        const pod = pods.find((p) => p.metadata?.name === t.status?.podName);
        expect(pod?.spec?.nodeName, t.metadata.name).toBe(t.status?.nodeName);
      }
    } finally {
      await other.stop();
    }
  }, 180_000);
});
