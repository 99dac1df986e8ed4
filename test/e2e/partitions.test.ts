import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Task } from "../../controllers/api/index.ts";
import { ensureCrds } from "./support/crds.ts";
import { addFakeNode, markNodeUnreachable, removeNode } from "./support/fakeNodes.ts";
import { kubeClients } from "./support/kube.ts";
import {
  customResources,
  deleteFrameworks,
  type OperatorProcess,
  startOperatorProcess,
  waitForTaskState,
} from "./support/operator.ts";

// A task's node deleted or unreachable: TASK_GONE / TASK_UNREACHABLE for a PARTITION_AWARE
// framework, TASK_LOST for one without the capability (semantics.md §2.6).
const c = kubeClients();
const run = Date.now().toString(36);
const ns = `partitions-${run}`;
const label = "e2e.mesos.operator.dev/agents";
const deleted = `partitions-${run}-deleted`;
const unreachable = `partitions-${run}-unreachable`;
const frameworks = customResources(c, "frameworks");
const tasks = customResources(c, "tasks");
let operator: OperatorProcess;

const waitForState = (name: string, state: string, timeoutMs?: number): Promise<Task> =>
  waitForTaskState(c, ns, name, state, operator, timeoutMs);

async function launch(name: string, framework: string): Promise<Task> {
  await tasks.create(ns, {
    apiVersion: "mesos.operator.dev/v1alpha1",
    kind: "Task",
    metadata: { name },
    spec: { frameworkName: framework, resources: { cpus: 0.1, mem: 32 }, command: { value: "sleep" } },
  });
  return waitForState(name, "TASK_RUNNING");
}

beforeAll(async () => {
  ensureCrds();
  await c.core.createNamespace({ body: { metadata: { name: ns } } });
  operator = startOperatorProcess(ns, `partitions-${run}`, `${label}=${ns}`);
  for (const [name, capabilities] of [
    ["aware", ["PARTITION_AWARE"]],
    ["plain", []],
  ] as const)
    await frameworks.create(ns, {
      apiVersion: "mesos.operator.dev/v1alpha1",
      kind: "Framework",
      metadata: { name },
      spec: { user: "nobody", capabilities },
    });
});

afterAll(async () => {
  await deleteFrameworks(c, ns);
  await operator?.stop();
  await c.core.deleteNamespace({ name: ns }).catch(() => undefined);
  await removeNode(c, deleted);
  await removeNode(c, unreachable);
});

describe("partitions", () => {
  it("node deleted → TASK_GONE (PARTITION_AWARE) / TASK_LOST", async () => {
    await addFakeNode(c, deleted, { labels: { [label]: ns } });
    const aware = await launch("aware-gone", "aware");
    const plain = await launch("plain-gone", "plain");
    expect(aware.status?.nodeName).toBe(deleted);
    expect(plain.status?.nodeName).toBe(deleted);
    await removeNode(c, deleted);
    const gone = await waitForState("aware-gone", "TASK_GONE");
    expect(gone.status?.reason).toBe("REASON_AGENT_REMOVED");
    const lost = await waitForState("plain-gone", "TASK_LOST");
    expect(lost.status?.reason).toBe("REASON_AGENT_REMOVED");
  });

  it("node unreachable → TASK_UNREACHABLE (PARTITION_AWARE) / TASK_LOST", async () => {
    await addFakeNode(c, unreachable, { labels: { [label]: ns } });
    const aware = await launch("aware-unreachable", "aware");
    const plain = await launch("plain-unreachable", "plain");
    expect(aware.status?.nodeName).toBe(unreachable);
    expect(plain.status?.nodeName).toBe(unreachable);
    await markNodeUnreachable(c, unreachable);
    const u = await waitForState("aware-unreachable", "TASK_UNREACHABLE", 90_000);
    expect(u.status?.unreachableTime).toBeDefined();
    await waitForState("plain-unreachable", "TASK_LOST", 10_000);
  });
});
