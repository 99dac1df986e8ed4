import { describe, expect, it } from "vitest";
import { Allocator, formatResources } from "../allocator/index.ts";
import { agent } from "../allocator/testHarness.ts";
import type { Task } from "../api/index.ts";
import { type LaunchPlan, type LaunchPlanInput, planLaunch, taskIdInUse } from "./launchPlan.ts";
import { podNameForTask, podNameForTaskGroup } from "./podIdentity.ts";
import { taskGroupState } from "./taskGroup.ts";
import { launchedStatus, taskObject } from "./testObjects.ts";
import { taskAcceptOutcome } from "./validateTask.ts";

/** One agent `n1` (cpus:4;mem:1024, rack r1), framework `fw` in roles web and batch, one offer made. */
function cluster(partitionAware = false) {
  const a = new Allocator({ minAllocatableResources: null, offerIdPrefix: "m" });
  a.upsertAgent(
    agent("n1-S0", "cpus:4;mem:1024;ports:[31000-31010]", {
      hostname: "n1",
      nodeName: "n1",
      attributes: [{ name: "rack", type: "TEXT", text: "r1" }],
    }),
  );
  a.addFramework({
    id: "fw",
    roles: ["web", "batch"],
    capabilities: partitionAware ? ["MULTI_ROLE", "PARTITION_AWARE"] : ["MULTI_ROLE"],
    suppressedRoles: ["batch"],
  });
  const offers = a.allocate(0).offers;
  return { a, offer: offers[0]! };
}

function input(a: Allocator, task: Task, frameworkTasks: Task[] = [task]): LaunchPlanInput {
  return {
    task,
    frameworkTasks,
    frameworkId: "fw",
    frameworkRoles: ["web", "batch"],
    offers: a.offersOf("fw"),
    offerById: (id) => a.offer(id),
    locationOf: (t) =>
      t.status?.nodeName === "n1"
        ? { hostname: "n1", attributes: [{ name: "rack", type: "TEXT", text: "r1" }] }
        : undefined,
  };
}

function accept(a: Allocator, plan: LaunchPlan, frameworkTasks: Task[]) {
  if (plan.kind !== "accept") throw new Error(`expected an accept plan, got ${plan.kind}`);
  return a.accept(plan.call, 0, taskIdInUse(frameworkTasks, plan.members));
}

describe("planLaunch and the ACCEPT outcome", () => {
  it("places a task that names no offer on its framework's offer, role defaulting to the first", () => {
    const { a, offer } = cluster();
    const task = taskObject("web-0", {
      resources: { cpus: 1, mem: 128, ports: [{ begin: 31001, end: 31001 }] },
    });
    const plan = planLaunch(input(a, task));
    expect(plan).toMatchObject({
      kind: "accept",
      placed: true,
      nodeName: "n1",
      offerIds: [offer.id],
      podName: podNameForTask(task),
    });
    const result = accept(a, plan, [task]);
    const outcome = taskAcceptOutcome(result, "web-0");
    expect(outcome).toMatchObject({
      kind: "launched",
      agentId: "n1-S0",
      role: "web",
      usageKey: `ns/${podNameForTask(task)}/web-0`,
    });
    expect(outcome.kind === "launched" && formatResources(outcome.resources)).toBe(
      "cpus:1;mem:128;ports:[31001-31001]",
    );
    // What the task left of the offer goes straight back (refuse 0).
    expect(a.allocate(1).offers.map((o) => formatResources(o.resources))).toEqual([
      "cpus:3;mem:896;ports:[31000-31000,31002-31010]",
    ]);
  });

  it("accepts the offers a task names", () => {
    const { a, offer } = cluster();
    const task = taskObject("t", { offerIds: [offer.id] });
    const plan = planLaunch(input(a, task));
    expect(plan).toMatchObject({ kind: "accept", placed: false, offerIds: [offer.id] });
    expect(taskAcceptOutcome(accept(a, plan, [task]), "t").kind).toBe("launched");
  });

  it.each([
    [false, "TASK_LOST"],
    [true, "TASK_DROPPED"],
  ] as const)(
    "a duplicate offer in the list (partition aware %s) → %s REASON_INVALID_OFFERS (S-44)",
    (pa, state) => {
      const { a, offer } = cluster(pa);
      const task = taskObject("t", { offerIds: [offer.id, "other"] });
      const plan = planLaunch(input(a, task));
      if (plan.kind !== "accept") throw new Error("accept expected");
      const call = { ...plan.call, offerIds: [offer.id, offer.id] };
      expect(taskAcceptOutcome(a.accept(call, 0), "t")).toEqual({
        kind: "refused",
        observation: {
          state,
          source: "SOURCE_MASTER",
          reason: "REASON_INVALID_OFFERS",
          message: `Task launched with invalid offers: Duplicate offer ${offer.id} in offer list`,
        },
      });
    },
  );

  it("an offer that is no longer valid → TASK_LOST REASON_INVALID_OFFERS (S-46)", () => {
    const { a } = cluster();
    const task = taskObject("t", { offerIds: ["m-O99"] });
    const outcome = taskAcceptOutcome(accept(a, planLaunch(input(a, task)), [task]), "t");
    expect(outcome).toMatchObject({
      kind: "refused",
      observation: {
        state: "TASK_LOST",
        reason: "REASON_INVALID_OFFERS",
        message: "Task launched with invalid offers: Offer m-O99 is no longer valid",
      },
    });
  });

  it("a task ID a live task already has → TASK_ERROR REASON_TASK_INVALID (S-48)", () => {
    const { a, offer } = cluster();
    const running = taskObject("first", { taskId: "dup" }, launchedStatus("p", { state: "TASK_RUNNING" }));
    const task = taskObject("second", { taskId: "dup", offerIds: [offer.id] });
    const outcome = taskAcceptOutcome(
      accept(a, planLaunch(input(a, task, [running, task])), [running, task]),
      "dup",
    );
    expect(outcome).toMatchObject({
      kind: "refused",
      observation: {
        state: "TASK_ERROR",
        reason: "REASON_TASK_INVALID",
        message: "Task has duplicate ID: dup",
      },
    });
  });

  it("a task bigger than its offers → TASK_ERROR with Mesos's message", () => {
    const { a, offer } = cluster();
    const task = taskObject("t", { offerIds: [offer.id], resources: { cpus: 8, mem: 128 } });
    const outcome = taskAcceptOutcome(accept(a, planLaunch(input(a, task)), [task]), "t");
    expect(outcome.kind === "refused" && outcome.observation).toMatchObject({
      state: "TASK_ERROR",
      reason: "REASON_TASK_INVALID",
    });
    expect(outcome.kind === "refused" && outcome.observation.message).toMatch(
      /^Total resources .* is more than available/,
    );
  });

  it("a task on the wrong agent → TASK_ERROR", () => {
    const { a, offer } = cluster();
    const task = taskObject("t", { offerIds: [offer.id], agentId: "elsewhere" });
    const outcome = taskAcceptOutcome(accept(a, planLaunch(input(a, task)), [task]), "t");
    expect(outcome.kind === "refused" && outcome.observation.message).toBe(
      "Task uses invalid agent elsewhere while agent n1-S0 is expected",
    );
  });

  it("a task in a role its framework is not subscribed to is refused", () => {
    const { a } = cluster();
    const task = taskObject("t", { role: "ops" });
    expect(planLaunch(input(a, task))).toMatchObject({
      kind: "refuse",
      observation: { state: "TASK_ERROR", reason: "REASON_TASK_INVALID" },
    });
  });

  it("no fitting offer: the placement says why", () => {
    const { a } = cluster();
    const peer = taskObject("web-1", { name: "web" }, launchedStatus("p", { state: "TASK_RUNNING" }));
    const task = taskObject("web-2", { name: "web", constraints: [{ field: "rack", operator: "UNIQUE" }] });
    expect(planLaunch(input(a, task, [peer, task]))).toEqual({
      kind: "no-fitting-offer",
      role: "web",
      demand: { cpus: 1, mem: 128 },
      placement: {
        placed: false,
        offersInRole: 1,
        rejections: [{ agentId: "n1-S0", hostname: "n1", because: "rack:UNIQUE" }],
      },
    });
  });

  it("a launched or refused task needs no plan", () => {
    const { a } = cluster();
    expect(planLaunch(input(a, taskObject("t", {}, launchedStatus("p"))))).toEqual({ kind: "not-pending" });
    expect(planLaunch(input(a, taskObject("t", {}, { state: "TASK_ERROR" })))).toEqual({
      kind: "not-pending",
    });
  });
});

describe("task groups", () => {
  const member = (name: string, extra: Record<string, unknown> = {}, status?: Record<string, unknown>) =>
    taskObject(
      name,
      { taskGroup: { name: "g", size: 2 }, resources: { cpus: 1, mem: 64 }, ...extra },
      status,
    );

  it("wait until every member exists, then launch them together on one pod", () => {
    const { a } = cluster();
    const one = member("g-a");
    expect(planLaunch(input(a, one, [one]))).toEqual({ kind: "wait-for-group", have: 1, size: 2 });
    const two = member("g-b");
    const plan = planLaunch(input(a, two, [one, two]));
    expect(plan).toMatchObject({ kind: "accept", podName: podNameForTaskGroup("g", [one, two]) });
    if (plan.kind !== "accept") return;
    expect(plan.call.operations[0]!.type).toBe("LAUNCH_GROUP");
    const result = accept(a, plan, [one, two]);
    expect(result.launched.map((l) => l.podKey).sort()).toEqual([
      `ns/${plan.podName}/g-a`,
      `ns/${plan.podName}/g-b`,
    ]);
  });

  it("a member whose group was half recorded before a crash joins the launch", () => {
    const { a } = cluster();
    const launched = member("g-a", {}, launchedStatus("g-pod", { agentId: "n1-S0", role: "web" }));
    const late = member("g-b");
    expect(planLaunch(input(a, late, [launched, late]))).toEqual({
      kind: "join-group-launch",
      launch: { podName: "g-pod", nodeName: "n1", agentId: "n1-S0", role: "web", offerIds: ["o-1"] },
    });
  });

  it.each([
    ["sizes disagree", { taskGroup: { name: "g", size: 3 } }, "disagree on its size"],
    ["offers differ", { offerIds: ["x"] }, "name different offers"],
    ["roles differ", { role: "batch" }, "ask for different roles"],
  ])("an invalid group (%s) → TASK_ERROR REASON_TASK_GROUP_INVALID", (_n, extra, message) => {
    const { a } = cluster();
    const one = member("g-a");
    const two = member("g-b", extra);
    const plan = planLaunch(input(a, one, [one, two]));
    expect(plan.kind).toBe("refuse");
    if (plan.kind !== "refuse") return;
    expect(plan.members.map((m) => m.metadata.name)).toEqual(["g-a", "g-b"]);
    expect(plan.observation.reason).toBe("REASON_TASK_GROUP_INVALID");
    expect(plan.observation.message).toContain(message);
  });

  it("too many members", () => {
    const tasks = ["a", "b", "c"].map((n) => member(`g-${n}`));
    expect(taskGroupState(tasks[0]!, tasks)).toMatchObject({
      kind: "invalid",
      message: "Task group g has 3 members but size 2",
    });
  });

  it("a task outside any group is a complete group of one", () => {
    const t = taskObject("t");
    expect(taskGroupState(t, [t, member("g-a")])).toEqual({ kind: "complete", members: [t] });
  });
});

describe("taskIdInUse", () => {
  it("counts live tasks of the framework other than the ones being launched", () => {
    const live = taskObject("a", { taskId: "x" }, launchedStatus("p", { state: "TASK_RUNNING" }));
    const done = taskObject("b", { taskId: "y" }, launchedStatus("p", { state: "TASK_FINISHED" }));
    const unreachable = taskObject("c", { taskId: "z" }, launchedStatus("p", { state: "TASK_UNREACHABLE" }));
    const self = taskObject("d", { taskId: "w" });
    const inUse = taskIdInUse([live, done, unreachable, self], [self]);
    expect(["x", "y", "z", "w"].map(inUse)).toEqual([true, false, true, false]);
  });
});
