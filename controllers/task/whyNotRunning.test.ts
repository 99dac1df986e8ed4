import { describe, expect, it } from "vitest";
import { fromCompactResources } from "../allocation/resourceShapes.ts";
import { Allocator } from "../allocator/index.ts";
import { agent } from "../allocator/testHarness.ts";
import { ConditionSchema } from "../api/index.ts";
import type { Rejection } from "./placement.ts";
import { launchedStatus, taskObject } from "./testObjects.ts";
import {
  describeDemand,
  notScheduledCondition,
  SCHEDULED_CONDITION,
  scheduledCondition,
  tasksScheduledCondition,
  waitingForGroupCondition,
  waitingTasks,
} from "./whyNotRunning.ts";

const demand = { cpus: 4, mem: 512 };

function why(setup: (a: Allocator) => void, rejections: Rejection[] = [], offersInRole = 0) {
  const a = new Allocator({ minAllocatableResources: null });
  setup(a);
  const [explanation] = a.explain("fw", { role: "web", demand: fromCompactResources(demand) });
  const c = notScheduledCondition({
    role: "web",
    demand,
    offersInRole,
    rejections,
    explanation,
    observedGeneration: 2,
  });
  expect(ConditionSchema.safeParse({ ...c, lastTransitionTime: "2026-01-01T00:00:00Z" }).success).toBe(true);
  return c;
}

describe("notScheduledCondition", () => {
  it("names the short resource on the closest node and by how much", () => {
    const c = why((a) => {
      a.upsertAgent(agent("small", "cpus:1;mem:2048"));
      a.upsertAgent(agent("medium", "cpus:3;mem:2048"));
      a.addFramework({ id: "fw", roles: ["web"] });
    });
    expect(c).toEqual({
      type: "Scheduled",
      status: "False",
      reason: "InsufficientResources",
      message:
        "Waiting for resources: no node has cpus 4, mem 512 free: the closest, medium, is short of cpus by 1 (has 3, needs 4).",
      observedGeneration: 2,
    });
  });

  it("a quota limit", () => {
    const c = why((a) => {
      a.upsertAgent(agent("n1", "cpus:8;mem:4096"));
      a.setQuota("web", { limits: { cpus: 2 } });
      a.addFramework({ id: "fw", roles: ["web"] });
    });
    expect(c.reason).toBe("QuotaLimitReached");
    expect(c.message).toContain("role web reached its quota limit");
  });

  it("a suppressed role", () => {
    const c = why((a) => {
      a.upsertAgent(agent("n1", "cpus:8;mem:4096"));
      a.addFramework({ id: "fw", roles: ["web"], suppressedRoles: ["web"] });
    });
    expect(c.reason).toBe("RoleSuppressed");
  });

  it("a disconnected or unknown framework", () => {
    expect(why((a) => a.addFramework({ id: "fw", roles: ["web"], active: false })).reason).toBe(
      "FrameworkDisconnected",
    );
    expect(why(() => {}).reason).toBe("FrameworkNotRegistered");
  });

  it("no offer for this framework yet", () => {
    const c = why((a) => {
      a.upsertAgent(agent("n1", "cpus:8;mem:4096"));
      a.addFramework({ id: "fw", roles: ["web"] });
    });
    expect(c.reason).toBe("WaitingForOffer");
    expect(c.message).toBe(
      "Waiting for resources: no offer for its framework yet; 1 node can offer cpus 4, mem 512 at the next allocation run.",
    );
  });

  it("offers held but refused by constraints or too small", () => {
    const c = why(
      (a) => {
        a.upsertAgent(agent("n1", "cpus:8;mem:4096"));
        a.addFramework({ id: "fw", roles: ["web"] });
      },
      [
        { agentId: "a", hostname: "a", because: "hostname:UNIQUE" },
        { agentId: "b", hostname: "b", because: "resources" },
      ],
      2,
    );
    expect(c.reason).toBe("ConstraintsNotMet");
    expect(c.message).toBe(
      "Waiting for resources: none of the framework's 2 offers in role web fits: hostname:UNIQUE refuses a; the offers on 1 node hold less than cpus 4, mem 512.",
    );
  });

  it("no agents at all", () => {
    expect(why((a) => a.addFramework({ id: "fw", roles: ["web"] })).reason).toBe("NoNodes");
  });

  it("cordoned nodes", () => {
    const c = why((a) => {
      a.upsertAgent({ ...agent("n1", "cpus:8;mem:4096"), unschedulable: true });
      a.addFramework({ id: "fw", roles: ["web"] });
    });
    expect(c.reason).toBe("NodesCordoned");
  });

  it("without an explanation, waits for an offer", () => {
    expect(notScheduledCondition({ role: "web", demand, offersInRole: 0, rejections: [] })).toMatchObject({
      reason: "WaitingForOffer",
      message: "Waiting for resources: no offer for its framework in role web holds cpus 4, mem 512 yet.",
    });
  });
});

describe("other Scheduled conditions and summaries", () => {
  it("placed, waiting for a group", () => {
    expect(scheduledCondition("n1", ["o1", "o2"], 3)).toEqual({
      type: "Scheduled",
      status: "True",
      reason: "Placed",
      message: "Placed on node n1 (offers o1, o2).",
      observedGeneration: 3,
    });
    expect(waitingForGroupCondition(1, 3)).toMatchObject({ reason: "WaitingForTaskGroup", status: "False" });
  });

  it("describes demand", () => {
    expect(
      describeDemand({
        cpus: 1,
        ports: [
          { begin: 80, end: 80 },
          { begin: 31000, end: 31002 },
        ],
      }),
    ).toBe("cpus 1, ports 80,31000-31002");
    expect(describeDemand({})).toBe("nothing");
  });

  it("frameworks and roles sum their waiting tasks up", () => {
    expect(tasksScheduledCondition([])).toMatchObject({ status: "True", reason: "AllScheduled" });
    const waiting = (name: string, reason: string) => ({
      name,
      condition: { type: "Scheduled", status: "False" as const, reason, message: `${reason}.` },
    });
    const c = tasksScheduledCondition(
      [
        waiting("b", "QuotaLimitReached"),
        waiting("a", "InsufficientResources"),
        waiting("c", "QuotaLimitReached"),
      ],
      4,
    );
    expect(c).toEqual({
      type: "TasksScheduled",
      status: "False",
      reason: "QuotaLimitReached",
      message: "3 tasks waiting. a: InsufficientResources. b: QuotaLimitReached. c: QuotaLimitReached.",
      observedGeneration: 4,
    });
    const many = tasksScheduledCondition(Array.from({ length: 7 }, (_, i) => waiting(`t${i}`, "NoNodes")));
    expect(many.message).toMatch(/^7 tasks waiting\. t0: NoNodes\..* … and 2 more$/);
  });
});

describe("waitingTasks", () => {
  it("lists only tasks without a state whose Scheduled condition is False", () => {
    const cond = (status: "True" | "False") => ({
      type: SCHEDULED_CONDITION,
      status,
      reason: status === "False" ? "InsufficientResources" : "Scheduled",
      message: "m",
      lastTransitionTime: "2026-11-25T00:00:00Z",
    });
    const waiting = taskObject("a", {}, { conditions: [cond("False")] });
    const placed = taskObject("b", {}, { conditions: [cond("True")] });
    const launched = taskObject("c", {}, { ...launchedStatus("c-pod"), conditions: [cond("False")] });
    expect(waitingTasks([waiting, placed, launched]).map((w) => w.name)).toEqual(["a"]);
    expect(waitingTasks([waiting])[0]?.condition.reason).toBe("InsufficientResources");
  });
});
