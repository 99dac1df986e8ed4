import { describe, expect, it } from "vitest";
import { Allocator, formatResources, parseResources } from "../allocator/index.ts";
import { podForTask } from "../task/podForTask.ts";
import { podNameForTask } from "../task/podIdentity.ts";
import { launchedStatus, taskObject } from "../task/testObjects.ts";
import { acceptCallFor } from "../task/validateTask.ts";
import {
  type AgentCall,
  agentCallsForNode,
  type ClusterNode,
  type ClusterPod,
  executorUsage,
  foreignPodUsage,
  isTaskPod,
  taskUsage,
} from "./clusterToAllocator.ts";

function node(
  name: string,
  over: { uid?: string; ready?: string; cordoned?: boolean; labels?: Record<string, string> } = {},
): ClusterNode {
  return {
    metadata: { name, uid: over.uid ?? `uid-${name}`, labels: over.labels ?? {} },
    spec: { unschedulable: over.cordoned ?? false },
    status: {
      allocatable: { cpu: "4", memory: "8Gi" },
      conditions: [{ type: "Ready", status: over.ready ?? "True" }],
    },
  };
}

const kinds = (calls: AgentCall[]) =>
  calls.map((c) => (c.kind === "remove" ? `remove ${c.agentId}` : `upsert ${c.spec.id}`));

describe("agentCallsForNode", () => {
  it.each<[string, ClusterNode | undefined, string | undefined, string[]]>([
    ["new ready node", node("n1"), undefined, ["upsert uid-n1-S0"]],
    ["known ready node", node("n1"), "uid-n1-S0", ["upsert uid-n1-S0"]],
    [
      "cordoned node stays an agent (deactivated)",
      node("n1", { cordoned: true }),
      "uid-n1-S0",
      ["upsert uid-n1-S0"],
    ],
    ["deleted node", undefined, "uid-n1-S0", ["remove uid-n1-S0"]],
    ["deleted node never known", undefined, undefined, []],
    ["unreachable node", node("n1", { ready: "Unknown" }), "uid-n1-S0", ["remove uid-n1-S0"]],
    ["not-ready node", node("n1", { ready: "False" }), "uid-n1-S0", ["remove uid-n1-S0"]],
    ["not-ready node never known", node("n1", { ready: "False" }), undefined, []],
    [
      "recreated node (new UID)",
      node("n1", { uid: "new" }),
      "uid-n1-S0",
      ["remove uid-n1-S0", "upsert new-S0"],
    ],
  ])("%s", (_name, n, known, want) => {
    expect(kinds(agentCallsForNode(n, known))).toEqual(want);
  });

  it("honours the agent selector", () => {
    const selector = { matchLabels: { pool: "mesos" } };
    expect(kinds(agentCallsForNode(node("n1"), "uid-n1-S0", { agentSelector: selector }))).toEqual([
      "remove uid-n1-S0",
    ]);
    expect(
      kinds(
        agentCallsForNode(node("n1", { labels: { pool: "mesos" } }), undefined, { agentSelector: selector }),
      ),
    ).toEqual(["upsert uid-n1-S0"]);
  });

  it("a node being deleted is no agent", () => {
    const n = node("n1");
    n.metadata = { ...n.metadata, deletionTimestamp: "2026-01-01T00:00:00Z" };
    expect(kinds(agentCallsForNode(n, "uid-n1-S0"))).toEqual(["remove uid-n1-S0"]);
  });
});

const foreign = (phase: string, nodeName?: string): ClusterPod => ({
  metadata: { namespace: "apps", name: "web-abc", labels: { app: "web" } },
  spec: {
    ...(nodeName ? { nodeName } : {}),
    containers: [{ resources: { requests: { cpu: "500m", memory: "256Mi" } } }],
  },
  status: { phase },
});

describe("foreignPodUsage", () => {
  it("counts bound, unfinished pods by their requests", () => {
    const u = foreignPodUsage(foreign("Running", "n1"))!;
    expect(u.nodeName).toBe("n1");
    expect(formatResources(u.resources)).toBe("cpus:0.5;mem:256");
    expect(u.owner).toBeUndefined();
  });
  it.each([
    ["unbound", foreign("Pending")],
    ["succeeded", foreign("Succeeded", "n1")],
    ["failed", foreign("Failed", "n1")],
  ])("%s pods hold nothing", (_n, p) => expect(foreignPodUsage(p)).toBeUndefined());
  it("our own pods are counted through their tasks", () => {
    const p = foreign("Running", "n1");
    p.metadata!.labels = { "app.kubernetes.io/managed-by": "mesos-operator" };
    expect(isTaskPod(p)).toBe(true);
    expect(foreignPodUsage(p)).toBeUndefined();
  });
});

describe("taskUsage", () => {
  const spec = { resources: { cpus: 1, mem: 128 } };
  const t = (status?: Record<string, unknown>) => taskObject("t", spec, status);
  const podName = podNameForTask(t());
  const ourPod = (phase: string) => {
    const p = podForTask(
      {
        tasks: [t()],
        frameworkId: "fw-1",
        placement: { podName, nodeName: "n1", agentId: "uid-n1-S0", role: "web", offerIds: ["o"] },
        heldResources: new Map([["t", parseResources("cpus(web):1;mem:128")]]),
      },
      { defaultImage: "busybox" },
    ) as ClusterPod;
    return { ...p, status: { phase } };
  };
  const status = (state: string) => launchedStatus(podName, { state, role: "web" });

  it("nothing before launch", () => expect(taskUsage(t(), "fw-1", undefined)).toBeUndefined());

  it("a launched task holds its resources before its pod exists", () => {
    const u = taskUsage(t(status("TASK_STAGING")), "fw-1", undefined)!;
    expect(u.key).toBe(`ns/${podName}/t`);
    expect(u.usage?.nodeName).toBe("n1");
    expect(u.usage?.owner).toEqual({ frameworkId: "fw-1", role: "web" });
    expect(formatResources(u.usage!.resources)).toBe("cpus:1;mem:128");
  });

  it("the pod's record of what it holds wins (reservations)", () => {
    const u = taskUsage(t(status("TASK_RUNNING")), "other", ourPod("Running"))!;
    expect(formatResources(u.usage!.resources)).toBe("cpus(web):1;mem:128");
    expect(u.usage?.owner?.frameworkId).toBe("fw-1");
  });

  it.each([
    ["terminal task, pod still shutting down: still held", "TASK_KILLED", "Running", true],
    ["terminal task, pod finished", "TASK_FINISHED", "Succeeded", false],
    ["terminal task, pod gone", "TASK_KILLED", undefined, false],
    ["running task, pod gone (to be reported lost)", "TASK_RUNNING", undefined, true],
    ["running task, pod failed", "TASK_RUNNING", "Failed", false],
  ])("%s", (_name, state, phase, holds) => {
    const u = taskUsage(t(status(state)), "fw-1", phase === undefined ? undefined : ourPod(phase))!;
    expect(u.usage !== undefined).toBe(holds);
  });

  it("the usage the allocator records at ACCEPT is the usage the caches give afterwards (no double count)", () => {
    const a = new Allocator({ minAllocatableResources: null });
    for (const call of agentCallsForNode(node("n1"), undefined))
      if (call.kind === "upsert") a.upsertAgent(call.spec);
    a.setPodUsage("apps/web-abc", foreignPodUsage(foreign("Running", "n1")));
    a.addFramework({ id: "fw-1", roles: ["web"] });
    const [offer] = a.allocate(0).offers;
    const task = t();
    const result = a.accept(
      acceptCallFor({
        frameworkId: "fw-1",
        tasks: [task],
        offerIds: [offer!.id],
        agentId: offer!.agentId,
        offered: offer!.resources,
        podName,
        refuseSeconds: 0,
      }),
      0,
    );
    expect(result.launched).toHaveLength(1);
    const used = formatResources(a.agent("uid-n1-S0")!.used);
    expect(used).toBe("cpus:1.5;mem:384");
    // The status is written and the pod appears: the same key, the same usage, nothing changes.
    const u = taskUsage(t(status("TASK_STAGING")), "fw-1", undefined)!;
    expect(u.key).toBe(result.launched[0]!.podKey);
    expect(a.setPodUsage(u.key, u.usage)).toEqual([]);
    expect(formatResources(a.agent("uid-n1-S0")!.used)).toBe(used);
    // After a restart, a fresh allocator built from the caches holds exactly the same.
    const b = new Allocator();
    for (const call of agentCallsForNode(node("n1"), undefined))
      if (call.kind === "upsert") b.upsertAgent(call.spec);
    b.setPodUsage("apps/web-abc", foreignPodUsage(foreign("Running", "n1")));
    b.setPodUsage(u.key, u.usage);
    expect(formatResources(b.agent("uid-n1-S0")!.used)).toBe(used);
  });
});

describe("executorUsage (a task group's executor)", () => {
  const group = { name: "g", size: 2, executorResources: { cpus: 0.1, mem: 32 } };
  const member = (name: string, state?: string) =>
    taskObject(
      name,
      { resources: { cpus: 0.5, mem: 64 }, taskGroup: group },
      state === undefined ? undefined : launchedStatus("g", { state, role: "web" }),
    );
  const pod = (phase: string): ClusterPod => ({
    metadata: { namespace: "ns", name: "g" },
    spec: { nodeName: "n1" },
    status: { phase },
  });

  it("nothing for a task outside a group, a group without executor resources, or before launch", () => {
    expect(executorUsage(taskObject("t", {}, launchedStatus("p")), "fw-1", undefined, [])).toBeUndefined();
    const bare = taskObject("b", { taskGroup: { name: "g", size: 1 } }, launchedStatus("g"));
    expect(executorUsage(bare, "fw-1", undefined, [bare])).toBeUndefined();
    expect(executorUsage(member("a"), "fw-1", undefined, [member("a")])).toBeUndefined();
  });

  it.each<[string, string, string | undefined, string, boolean]>([
    ["pod running", "TASK_RUNNING", "Running", "TASK_RUNNING", true],
    ["one task finished, the other runs, pod running", "TASK_FINISHED", "Running", "TASK_RUNNING", true],
    ["every task terminal, pod finished", "TASK_FINISHED", "Succeeded", "TASK_FINISHED", false],
    ["no pod yet, members launching", "TASK_STAGING", undefined, "TASK_STAGING", true],
    ["pod gone, one member still running", "TASK_FINISHED", undefined, "TASK_RUNNING", true],
    ["pod gone, every member terminal", "TASK_FINISHED", undefined, "TASK_KILLED", false],
  ])("%s: held %s", (_name, mine, phase, other, holds) => {
    const a = member("a", mine);
    const members = [a, member("b", other)];
    const u = executorUsage(a, "fw-1", phase === undefined ? undefined : pod(phase), members)!;
    expect(u.key).toBe("ns/g/executor:default");
    expect(u.usage !== undefined).toBe(holds);
    if (holds) {
      expect(formatResources(u.usage!.resources)).toBe("cpus:0.1;mem:32");
      expect(u.usage?.owner).toEqual({ frameworkId: "fw-1", role: "web" });
    }
  });

  it("the executor held at ACCEPT is what the caches give afterwards, under the same key", () => {
    const a = new Allocator({ minAllocatableResources: null });
    for (const call of agentCallsForNode(node("n1"), undefined))
      if (call.kind === "upsert") a.upsertAgent(call.spec);
    a.addFramework({ id: "fw-1", roles: ["*"] });
    const [offer] = a.allocate(0).offers;
    const members = [member("a"), member("b")];
    const result = a.accept(
      acceptCallFor({
        frameworkId: "fw-1",
        tasks: members,
        offerIds: [offer!.id],
        agentId: offer!.agentId,
        offered: offer!.resources,
        podName: "g",
        refuseSeconds: 0,
      }),
      0,
    );
    expect(result.launched).toHaveLength(2);
    expect(result.executors.map((e) => e.podKey)).toEqual(["ns/g/executor:default"]);
    const used = formatResources(a.agent("uid-n1-S0")!.used);
    expect(used).toBe("cpus:1.1;mem:160");
    const u = executorUsage(member("a", "TASK_STAGING"), "fw-1", undefined, members)!;
    expect(a.setPodUsage(u.key, { ...u.usage!, owner: { frameworkId: "fw-1", role: "*" } })).toEqual([]);
    expect(formatResources(a.agent("uid-n1-S0")!.used)).toBe(used);
    a.setPodUsage(u.key, undefined);
    expect(formatResources(a.agent("uid-n1-S0")!.used)).toBe("cpus:1;mem:128");
  });
});
