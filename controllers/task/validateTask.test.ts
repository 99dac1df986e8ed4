import { describe, expect, it } from "vitest";
import { formatResources, parseResources, Resources } from "../allocator/index.ts";
import { taskObject } from "./testObjects.ts";
import { acceptCallFor, taskAcceptOutcome } from "./validateTask.ts";

describe("acceptCallFor", () => {
  it("one task: LAUNCH, resources taken from the offer (reserved first), usage key per container", () => {
    const call = acceptCallFor({
      frameworkId: "fw",
      tasks: [taskObject("t", { taskId: "t-id" })],
      offerIds: ["o1"],
      agentId: "a1",
      offered: parseResources("cpus(web):0.5;cpus:2;mem:1024"),
      podName: "p",
    });
    expect(call.filters).toBeUndefined();
    const op = call.operations[0]!;
    expect(op.type).toBe("LAUNCH");
    if (op.type !== "LAUNCH") return;
    expect(op.tasks.map((t) => ({ ...t, resources: formatResources(t.resources) }))).toEqual([
      { taskId: "t-id", agentId: "a1", resources: "cpus:0.5;cpus(web):0.5;mem:128", podKey: "ns/p/t" },
    ]);
  });

  it("a task group: LAUNCH_GROUP, members share the offer without double counting", () => {
    const group = { taskGroup: { name: "g", size: 2 } };
    const call = acceptCallFor({
      frameworkId: "fw",
      tasks: [taskObject("a", group), taskObject("b", group)],
      offerIds: ["o1"],
      agentId: "a1",
      offered: parseResources("cpus(web):1;cpus:1;mem:1024"),
      podName: "g-pod",
      refuseSeconds: 0,
    });
    expect(call.filters).toEqual({ refuseSeconds: 0 });
    const op = call.operations[0]!;
    expect(op.type).toBe("LAUNCH_GROUP");
    if (op.type !== "LAUNCH_GROUP") return;
    expect(op.tasks.map((t) => formatResources(t.resources))).toEqual([
      "cpus(web):1;mem:128",
      "cpus:1;mem:128",
    ]);
  });

  it("what does not fit, or unknown offers, is asked for unreserved (the allocator answers)", () => {
    const spec = { agentId: "elsewhere", resources: { cpus: 8, mem: 128 } };
    for (const offered of [parseResources("cpus:1;mem:1024"), undefined]) {
      const call = acceptCallFor({
        frameworkId: "fw",
        tasks: [taskObject("t", spec)],
        offerIds: ["o"],
        agentId: "a1",
        offered,
        podName: "p",
      });
      const op = call.operations[0]!;
      if (op.type !== "LAUNCH") throw new Error(op.type);
      expect(op.tasks[0]!.agentId).toBe("elsewhere");
      expect(formatResources(op.tasks[0]!.resources)).toBe("cpus:8;mem:128");
    }
  });
});

describe("taskAcceptOutcome", () => {
  const empty = { launched: [], executors: [], updates: [], operationErrors: [], declined: Resources.EMPTY };
  it("a task the allocator did not see is an error, not a silent success", () => {
    expect(taskAcceptOutcome(empty, "x")).toEqual({
      kind: "refused",
      observation: {
        state: "TASK_ERROR",
        source: "SOURCE_MASTER",
        reason: "REASON_TASK_INVALID",
        message: "Task x was not part of the launch",
      },
    });
  });
});
