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
  waitForTaskState,
} from "./support/operator.ts";
import { waitFor } from "./support/wait.ts";

// `kubectl apply` of a Framework and Tasks, run by the operator process: placement on an offer,
// the pod bound to a fake node, Mesos task states from the kwok stages, and kill.
const c = kubeClients();
const run = Date.now().toString(36);
const ns = `tasks-${run}`;
const agentLabel = `e2e.mesos.operator.dev/agents=${ns}`;
const nodes = [`tasks-${run}-a`, `tasks-${run}-b`];
const frameworks = customResources(c, "frameworks");
const tasks = customResources(c, "tasks");
let operator: OperatorProcess;

const getTask = async (name: string) => (await tasks.get(ns, name)) as Task;

const waitForState = (name: string, state: string, timeoutMs?: number): Promise<Task> =>
  waitForTaskState(c, ns, name, state, operator, timeoutMs);

function taskBody(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: "mesos.operator.dev/v1alpha1",
    kind: "Task",
    metadata: { name },
    spec: {
      frameworkName: "marathon",
      resources: { cpus: 0.5, mem: 128 },
      command: { shell: true, value: "sleep 3600" },
      ...extra,
    },
  };
}

beforeAll(async () => {
  ensureCrds();
  await c.core.createNamespace({ body: { metadata: { name: ns } } });
  for (const n of nodes)
    await addFakeNode(c, n, { cpu: "4", memory: "8Gi", labels: { "e2e.mesos.operator.dev/agents": ns } });
  operator = startOperatorProcess(ns, `tasks-${run}`, agentLabel);
  await frameworks.create(ns, {
    apiVersion: "mesos.operator.dev/v1alpha1",
    kind: "Framework",
    metadata: { name: "marathon" },
    spec: { user: "nobody", roles: ["web"], capabilities: ["PARTITION_AWARE", "TASK_KILLING_STATE"] },
  });
});

afterAll(async () => {
  await deleteFrameworks(c, ns);
  await operator?.stop();
  await c.core.deleteNamespace({ name: ns }).catch(() => undefined);
  for (const n of nodes) await removeNode(c, n);
});

describe("tasks end to end", () => {
  it("runs a Task with no offer named as a bound pod: TASK_RUNNING within 5 s", async () => {
    await waitFor(
      "framework Active",
      async () => {
        const fw = (await frameworks.get(ns, "marathon")) as { status?: { phase?: string } };
        return fw.status?.phase === "Active";
      },
      { timeoutMs: 60_000, describe: async () => operator.output().slice(-3000) },
    );
    const started = Date.now();
    await tasks.create(ns, taskBody("web-0", { labels: { app: "web" } }));
    const task = await waitForState("web-0", "TASK_RUNNING", 5_000);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(5_000);
    const status = task.status!;
    expect(status.podName).toBeDefined();
    expect(nodes).toContain(status.nodeName);
    expect(status.role).toBe("web");
    expect(status.updates?.map((u) => u.state)).toEqual(
      ["TASK_STAGING", "TASK_STARTING", "TASK_RUNNING"].filter((s) =>
        status.updates?.some((u) => u.state === s),
      ),
    );
    const pod = await c.core.readNamespacedPod({ namespace: ns, name: status.podName! });
    expect(pod.spec?.schedulerName).toBe("mesos-operator");
    expect(pod.spec?.nodeName).toBe(status.nodeName);
    expect(pod.metadata?.labels).toMatchObject({
      "app.kubernetes.io/managed-by": "mesos-operator",
      "mesos.operator.dev/task-id": "web-0",
      app: "web",
    });
    expect(pod.metadata?.labels?.["mesos.operator.dev/framework-id"]).toBeTruthy();
    expect(pod.metadata?.ownerReferences).toEqual([
      expect.objectContaining({ kind: "Task", name: "web-0", uid: task.metadata.uid, controller: true }),
    ]);
    expect(pod.spec?.containers[0]?.resources?.requests).toMatchObject({ cpu: "500m" });
  });

  it("finishes and fails through the kwok stages with Mesos reasons", async () => {
    await tasks.create(
      ns,
      taskBody("ok-0", {
        labels: { "sim.mesos.operator.dev/outcome": "succeed", "sim.mesos.operator.dev/after": "1s" },
      }),
    );
    await tasks.create(
      ns,
      taskBody("bad-0", {
        labels: {
          "sim.mesos.operator.dev/outcome": "fail",
          "sim.mesos.operator.dev/after": "1s",
          "sim.mesos.operator.dev/exit-code": "3",
          "sim.mesos.operator.dev/reason": "Error",
          "sim.mesos.operator.dev/message": "boom",
        },
      }),
    );
    const ok = await waitForState("ok-0", "TASK_FINISHED");
    expect(ok.status?.updates?.map((u) => u.state)).toContain("TASK_RUNNING");
    const bad = await waitForState("bad-0", "TASK_FAILED");
    expect(bad.status?.reason).toBe("REASON_COMMAND_EXECUTOR_FAILED");
    expect(bad.status?.message).toContain("status 3");
    // A finished task's pod is deleted or terminal: it holds nothing.
  });

  it("kills a task: TASK_KILLING first (TASK_KILLING_STATE), then TASK_KILLED", async () => {
    await tasks.create(ns, taskBody("kill-0"));
    await waitForState("kill-0", "TASK_RUNNING");
    await tasks.patch(ns, "kill-0", { spec: { kill: { gracePeriodSeconds: 1 } } });
    const killed = await waitForState("kill-0", "TASK_KILLED");
    const states = killed.status?.updates?.map((u) => u.state) ?? [];
    expect(states.indexOf("TASK_KILLING")).toBeGreaterThan(states.indexOf("TASK_RUNNING"));
    expect(states.at(-1)).toBe("TASK_KILLED");
    await waitFor("kill-0's pod gone", async () => {
      try {
        await c.core.readNamespacedPod({ namespace: ns, name: killed.status!.podName! });
        return false;
      } catch {
        return true;
      }
    });
  });
  it("says which resource is missing when a Task fits nowhere", async () => {
    await tasks.create(ns, taskBody("huge-0", { resources: { cpus: 64, mem: 128 } }));
    const waiting = await waitFor("huge-0 to say why it waits", async () => {
      const t = await getTask("huge-0");
      const c = t.status?.conditions?.find((x) => x.type === "Scheduled");
      return c?.status === "False" && c.reason !== "WaitingForOffer" ? c : undefined;
    });
    expect(waiting.message).toContain("cpus");
    expect((await getTask("huge-0")).status?.state).toBeUndefined();
    // The Framework sums up why its tasks wait.
    const summary = await waitFor("the framework's TasksScheduled summary", async () => {
      const fw = (await frameworks.get(ns, "marathon")) as {
        status?: { conditions?: { type: string; status: string; message: string }[] };
      };
      const c = fw.status?.conditions?.find((x) => x.type === "TasksScheduled");
      return c?.status === "False" ? c : undefined;
    });
    expect(summary.message).toContain("huge-0");
  });

  it("deleting a Framework kills its tasks first (finalizer), then lets it go", async () => {
    await frameworks.create(ns, {
      apiVersion: "mesos.operator.dev/v1alpha1",
      kind: "Framework",
      metadata: { name: "doomed" },
      spec: { user: "nobody", roles: ["doomed"] },
    });
    // The test's own finalizer keeps the Task readable after the garbage collector, which
    // deletes it with its Framework (owner reference), gets to it: else TASK_KILLED can come and
    // go between two polls.
    const hold = "test.mesos.operator.dev/hold";
    const body = taskBody("doomed-0");
    await tasks.create(ns, {
      ...body,
      metadata: { ...body.metadata, finalizers: [hold] },
      spec: { ...body.spec, frameworkName: "doomed" },
    });
    const running = await waitForState("doomed-0", "TASK_RUNNING", 20_000);
    await waitFor("the finalizer on doomed", async () => {
      const fw = (await frameworks.get(ns, "doomed")) as { metadata: { finalizers?: string[] } };
      return fw.metadata.finalizers?.includes("mesos.operator.dev/teardown");
    });
    await frameworks.delete(ns, "doomed");
    const killed = await waitForState("doomed-0", "TASK_KILLED");
    expect(killed.status?.reason).toBe("REASON_FRAMEWORK_REMOVED");
    await tasks.patch(ns, "doomed-0", { metadata: { finalizers: null } });
    await waitFor("doomed and its pod gone", async () => {
      const podGone = await c.core.readNamespacedPod({ namespace: ns, name: running.status!.podName! }).then(
        () => false,
        () => true,
      );
      const fwGone = await frameworks.get(ns, "doomed").then(
        () => false,
        () => true,
      );
      return podGone && fwGone;
    });
  });
});
