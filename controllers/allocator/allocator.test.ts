import { describe, expect, it } from "vitest";
import { Allocator } from "./allocator.ts";
import { offerResourcesFor } from "./offers.ts";
import { quantitiesOf } from "./quantities.ts";
import { Resources } from "./resources.ts";
import { formatResources, parseResources } from "./resourceText.ts";
import { agent, describeOffers } from "./testHarness.ts";

const r = parseResources;
const launch = (taskId: string, agentId: string, resources: string) => ({
  type: "LAUNCH" as const,
  tasks: [{ taskId, agentId, resources: r(resources) }],
});

describe("agents: pods, cordon, changes", () => {
  it("subtracts every pod on the node, ours or not, and parks pods seen before their node", () => {
    const a = new Allocator();
    a.setPodUsage("kube-system/dns", {
      nodeName: "n1",
      resources: r("cpus:0.5;mem:256;ports:[31000-31000]"),
    });
    a.upsertAgent(agent("n1", "cpus:2;mem:1024;ports:[31000-31010]"));
    a.addFramework({ id: "fw", roles: ["*"] });
    expect(describeOffers(a.allocate(0).offers)).toEqual(["fw@n1(*) cpus:1.5;mem:768;ports:[31001-31010]"]);
  });

  it("offers nothing on a node that foreign pods fill beyond its size", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.setPodUsage("x/big", { nodeName: "n1", resources: r("cpus:3;mem:100") });
    a.addFramework({ id: "fw", roles: ["*"] });
    expect(describeOffers(a.allocate(0).offers)).toEqual(["fw@n1(*) mem:924"]);
  });

  it("rescinds offers whose resources a new pod took, and offers what is left", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["*"] });
    const [o] = a.allocate(0).offers;
    const rescinds = a.setPodUsage("x/p", { nodeName: "n1", resources: r("cpus:1;mem:512") });
    expect(rescinds.map((x) => [x.offer.id, x.reason])).toEqual([[o!.id, "agent-changed"]]);
    expect(describeOffers(a.allocate(1000).offers)).toEqual(["fw@n1(*) cpus:1;mem:512"]);
    // A pod that fits beside the outstanding offer rescinds nothing.
    a.setPodUsage("x/p", undefined);
    expect(a.setPodUsage("x/q", { nodeName: "n1", resources: r("cpus:0.5") })).toEqual([]);
  });

  it("a cordoned node rescinds its offers and offers nothing until uncordoned", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["*"] });
    const [o] = a.allocate(0).offers;
    const rescinds = a.upsertAgent(agent("n1", "cpus:2;mem:1024", { unschedulable: true }));
    expect(rescinds.map((x) => [x.offer.id, x.reason])).toEqual([[o!.id, "agent-deactivated"]]);
    expect(a.allocate(1000).offers).toEqual([]);
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    expect(a.hasPendingAllocation()).toBe(true);
    expect(a.allocate(1001, "pending").offers).toHaveLength(1);
  });

  it("rescinds when an agent shrinks below its offers; offers the growth of a grown one at once", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["*"] });
    const [o] = a.allocate(0).offers;
    expect(a.upsertAgent(agent("n1", "cpus:4;mem:1024"))).toEqual([]);
    expect(describeOffers(a.allocate(1, "pending").offers)).toEqual(["fw@n1(*) cpus:2"]);
    const shrunk = a.upsertAgent(agent("n1", "cpus:1;mem:1024"));
    expect(shrunk.map((x) => x.reason)).toEqual(["agent-changed", "agent-changed"]);
    expect(shrunk[0]!.offer.id).toBe(o!.id);
  });

  it("rescinds offers and drops filters when attributes change or the agent goes", () => {
    const a = new Allocator();
    a.upsertAgent(
      agent("n1", "cpus:2;mem:1024", { attributes: [{ name: "rack", type: "TEXT", text: "r1" }] }),
    );
    a.addFramework({ id: "fw", roles: ["*"] });
    const [o] = a.allocate(0).offers;
    a.decline("fw", [o!.id], { refuseSeconds: 3600 }, 0);
    expect(a.filterCount()).toBe(1);
    a.upsertAgent(
      agent("n1", "cpus:2;mem:1024", { attributes: [{ name: "rack", type: "TEXT", text: "r2" }] }),
    );
    expect(a.filterCount()).toBe(0);
    const [o2] = a.allocate(1000).offers;
    expect(o2!.attributes).toEqual([{ name: "rack", type: "TEXT", text: "r2" }]);
    expect(a.removeAgent("n1").map((x) => [x.offer.id, x.reason])).toEqual([[o2!.id, "agent-removed"]]);
    expect(a.agentIds()).toEqual([]);
  });

  it("keeps dynamic reservations when the node reports its allocatable again", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:4;mem:1024"));
    const dyn = Resources.scalars({ cpus: 1 }, [{ type: "DYNAMIC", role: "web", principal: "ops" }]);
    expect(a.reserve("n1", dyn, 0).error).toBeUndefined();
    a.upsertAgent(agent("n1", "cpus:4;mem:1024"));
    expect(formatResources(a.agent("n1")!.total)).toBe("cpus:3;cpus(web):1;mem:1024");
    expect(a.agent("n1")!.dynamicReservations.equals(dyn)).toBe(true);
    expect(a.unreserve("n1", dyn, 0).error).toBeUndefined();
    expect(formatResources(a.agent("n1")!.total)).toBe("cpus:4;mem:1024");
    expect(
      a.reserve("n1", Resources.scalars({ cpus: 9 }, [{ type: "DYNAMIC", role: "web" }]), 0).error,
    ).toMatch(/^Invalid RESERVE Operation: .* does not contain cpus:9$/);
    expect(a.unreserve("n1", r("cpus(web):1"), 0).error).toMatch(/dynamically reserved/);
  });
});

describe("frameworks", () => {
  it("deactivation rescinds offers and drops filters; activation offers again", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.upsertAgent(agent("n2", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["*"] });
    const offers = a.allocate(0).offers;
    a.decline("fw", [offers[0]!.id], { refuseSeconds: 3600 }, 0);
    const rescinds = a.deactivateFramework("fw");
    expect(rescinds.map((x) => [x.offer.id, x.reason])).toEqual([[offers[1]!.id, "framework-deactivated"]]);
    expect(a.filterCount()).toBe(0);
    expect(a.allocate(1000).offers).toEqual([]);
    a.activateFramework("fw");
    expect(a.allocate(1001, "pending").offers).toHaveLength(2);
    expect(a.removeFramework("fw").map((x) => x.reason)).toEqual(["framework-removed", "framework-removed"]);
    expect(a.agent("n1")!.available.equals(a.agent("n1")!.total)).toBe(true);
  });

  it("UpdateFrameworkTest.RescindOnRemovingRoles: dropping a role rescinds its offers", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.upsertAgent(agent("n2", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["r1", "r2"], capabilities: ["MULTI_ROLE"] });
    const offers = a.allocate(0).offers;
    const onR2 = offers.find((o) => o.role === "r2")!;
    const rescinds = a.updateFramework({ id: "fw", roles: ["r1"], capabilities: ["MULTI_ROLE"] });
    expect(rescinds.map((x) => [x.offer.id, x.reason])).toEqual([[onR2.id, "role-removed"]]);
    expect(a.framework("fw")!.roles.map((x) => x.role)).toEqual(["r1"]);
  });

  it("suppressed_roles through UPDATE_FRAMEWORK, and un-suppressing clears that role's filters", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["r1"], suppressedRoles: ["r1"] });
    expect(a.allocate(0).offers).toEqual([]);
    a.updateFramework({ id: "fw", roles: ["r1"] });
    const [o] = a.allocate(1, "pending").offers;
    a.decline("fw", [o!.id], { refuseSeconds: 3600 }, 1);
    a.updateFramework({ id: "fw", roles: ["r1"], suppressedRoles: ["r1"] });
    expect(a.filterCount()).toBe(1);
    a.updateFramework({ id: "fw", roles: ["r1"] });
    expect(a.filterCount()).toBe(0);
    expect(a.allocate(2, "pending").offers).toHaveLength(1);
  });

  it("refuses invalid roles as Mesos does", () => {
    const a = new Allocator();
    expect(() => a.addFramework({ id: "fw", roles: ["/test/test1"] })).toThrow(/cannot start with a slash/);
    expect(() => a.addFramework({ id: "fw", roles: ["r1"], suppressedRoles: ["r2"] })).toThrow(
      /not contained/,
    );
    expect(() => a.addFramework({ id: "fw", roles: [] })).toThrow(/no roles/);
  });

  it("counts the tasks of a framework seen before it subscribes (operator restart) in its share", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:4;mem:1024"));
    a.upsertAgent(agent("n2", "cpus:4;mem:1024"));
    a.setPodUsage("ns/task", {
      nodeName: "n1",
      resources: r("cpus:3"),
      owner: { frameworkId: "old", role: "r1" },
    });
    a.addFramework({ id: "new", roles: ["r2"] });
    a.addFramework({ id: "old", roles: ["r1"] });
    expect(a.role("r1").share).toBeCloseTo(3 / 8);
    // The next free agent goes to r2, whose share is 0.
    const offers = a.allocate(0).offers;
    expect(offers.find((o) => o.agentId === "n2")!.frameworkId).toBe("new");
  });

  it("escapes framework ids with '/' so they do not nest in the sorter", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "ns/fw-a", roles: ["*"] });
    a.addFramework({ id: "ns/fw-b", roles: ["*"] });
    expect(a.allocate(0).offers).toHaveLength(1);
  });
});

describe("capabilities and constraints", () => {
  it("GPU agents go only to GPU_RESOURCES frameworks", () => {
    const a = new Allocator();
    a.upsertAgent(agent("gpu", "cpus:4;gpus:1;mem:1024"));
    a.upsertAgent(agent("cpu", "cpus:4;mem:1024"));
    a.addFramework({ id: "plain", roles: ["*"] });
    expect(describeOffers(a.allocate(0).offers)).toEqual(["plain@cpu(*) cpus:4;mem:1024"]);
    a.addFramework({ id: "ml", roles: ["*"], capabilities: ["GPU_RESOURCES"] });
    expect(describeOffers(a.allocate(1, "pending").offers)).toEqual(["ml@gpu(*) cpus:4;gpus:1;mem:1024"]);
  });

  it("--filter_gpu_resources=false lets anyone have GPU agents", () => {
    const a = new Allocator({ filterGpuResources: false });
    a.upsertAgent(agent("gpu", "cpus:4;gpus:1;mem:1024"));
    a.addFramework({ id: "plain", roles: ["*"] });
    expect(a.allocate(0).offers).toHaveLength(1);
  });

  it("agents in another region go only to REGION_AWARE frameworks", () => {
    const a = new Allocator({ region: "eu" });
    a.upsertAgent(agent("far", "cpus:1;mem:128", { domain: { region: "us", zone: "us-1" } }));
    a.upsertAgent(agent("near", "cpus:1;mem:128", { domain: { region: "eu" } }));
    a.addFramework({ id: "local", roles: ["*"] });
    expect(a.allocate(0).offers.map((o) => o.agentId)).toEqual(["near"]);
    a.addFramework({ id: "global", roles: ["*"], capabilities: ["REGION_AWARE"] });
    expect(a.allocate(1, "pending").offers.map((o) => `${o.frameworkId}@${o.agentId}`)).toEqual([
      "global@far",
    ]);
  });

  it("offer constraints keep a role's offers to matching agents", () => {
    const a = new Allocator();
    a.upsertAgent(
      agent("ssd", "cpus:1;mem:128", { attributes: [{ name: "disk", type: "TEXT", text: "ssd" }] }),
    );
    a.upsertAgent(
      agent("hdd", "cpus:1;mem:128", { attributes: [{ name: "disk", type: "TEXT", text: "hdd" }] }),
    );
    a.upsertAgent(agent("bare", "cpus:1;mem:128"));
    a.addFramework({
      id: "db",
      roles: ["*"],
      offerConstraints: {
        "*": [
          {
            attributeConstraints: [
              { selector: { attributeName: "disk" }, predicate: { textMatches: "ss.*" } },
            ],
          },
        ],
      },
    });
    expect(a.allocate(0).offers.map((o) => o.agentId)).toEqual(["ssd"]);
    a.updateFramework({
      id: "db",
      roles: ["*"],
      offerConstraints: {
        "*": [
          {
            attributeConstraints: [
              { selector: { pseudoattributeType: "HOSTNAME" }, predicate: { textEquals: "hdd" } },
            ],
          },
          { attributeConstraints: [{ selector: { attributeName: "disk" }, predicate: { notExists: true } }] },
        ],
      },
    });
    expect(
      a
        .allocate(1000)
        .offers.map((o) => o.agentId)
        .sort(),
    ).toEqual(["bare", "hdd"]);
  });

  it("refined reservations go to descendants with RESERVATION_REFINEMENT, in the right format", () => {
    const a = new Allocator();
    const refined = r("cpus(eng):2").pushReservation({ type: "DYNAMIC", role: "eng/web", principal: "p" });
    a.upsertAgent({ id: "n1", hostname: "n1", nodeName: "n1", resources: r("cpus:1;mem:128").plus(refined) });
    a.addFramework({ id: "old", roles: ["eng/web"], capabilities: ["MULTI_ROLE"] });
    expect(describeOffers(a.allocate(0).offers)).toEqual(["old@n1(eng/web) cpus:1;mem:128"]);
    a.addFramework({ id: "new", roles: ["eng/web"], capabilities: ["MULTI_ROLE", "RESERVATION_REFINEMENT"] });
    const [o] = a.allocate(1, "pending").offers;
    expect(o!.frameworkId).toBe("new");
    expect(o!.resources.equals(refined)).toBe(true);
    expect(offerResourcesFor(o!, { multiRole: true, reservationRefinement: true })[0]).toMatchObject({
      reservations: [{ role: "eng" }, { role: "eng/web" }],
      allocationInfo: { role: "eng/web" },
    });
  });

  it("offer_filters.min_allocatable_resources overrides the global minimum for a role", () => {
    const a = new Allocator();
    a.upsertAgent(agent("small", "cpus:1;mem:512"));
    a.addFramework({
      id: "big",
      roles: ["*"],
      minAllocatableResources: { "*": [quantitiesOf({ cpus: 2 })] },
    });
    expect(a.allocate(0).offers).toEqual([]);
    a.addFramework({ id: "any", roles: ["*"], minAllocatableResources: { "*": [] } });
    expect(a.allocate(1).offers.map((o) => o.frameworkId)).toEqual(["any"]);
  });

  it("offers to non-REFINEMENT frameworks use the pre-refinement format", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus(web):1;mem:128"));
    a.addFramework({ id: "fw", roles: ["web"] });
    const [o] = a.allocate(0).offers;
    expect(offerResourcesFor(o!, { multiRole: false, reservationRefinement: false })).toEqual([
      { name: "cpus", type: "SCALAR", scalar: 1, role: "web" },
      { name: "mem", type: "SCALAR", scalar: 128, role: "*" },
    ]);
  });
});

describe("accept validation (semantics.md §2.1, §4.8)", () => {
  function twoAgentsTwoRoles() {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.upsertAgent(agent("n2", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["r1", "r2"], capabilities: ["MULTI_ROLE"] });
    a.addFramework({ id: "other", roles: ["r3"] });
    a.upsertAgent(agent("n3", "cpus:2;mem:1024"));
    const offers = a.allocate(0).offers;
    const mine = offers.filter((o) => o.frameworkId === "fw");
    const theirs = offers.find((o) => o.frameworkId === "other")!;
    return { a, mine, theirs };
  }

  it("offers from different agents and roles cannot be combined", () => {
    const { a, mine } = twoAgentsTwoRoles();
    const [x, y] = mine;
    const res = a.accept(
      { frameworkId: "fw", offerIds: [x!.id, y!.id], operations: [launch("t", x!.agentId, "cpus:1")] },
      0,
    );
    expect(res.error).toBe(
      `Aggregated offers must be allocated to the same role. Offer ${y!.id} uses role '${y!.role} but another is using role '${x!.role}`,
    );
    expect(res.updates[0]).toMatchObject({ state: "TASK_LOST", reason: "REASON_INVALID_OFFERS" });
    // Both offers were discarded without a filter.
    expect(a.offersOf("fw")).toEqual([]);
  });

  it("another framework's offer is refused", () => {
    const { a, theirs } = twoAgentsTwoRoles();
    const res = a.accept(
      { frameworkId: "fw", offerIds: [theirs.id], operations: [launch("t", theirs.agentId, "cpus:1")] },
      0,
    );
    expect(res.error).toBe(`Offer ${theirs.id} has invalid framework other while framework fw is expected`);
    // …and stays with its framework.
    expect(a.offer(theirs.id)).toBeDefined();
  });

  it("offers of one role on different agents cannot be combined", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.upsertAgent(agent("n2", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["*"] });
    const [x, y] = a.allocate(0).offers;
    const res = a.accept({ frameworkId: "fw", offerIds: [x!.id, y!.id], operations: [] }, 0);
    expect(res.error).toBe(
      `Aggregated offers must belong to one single agent. Offer ${y!.id} uses agent ${y!.agentId} and agent ${x!.agentId}`,
    );
    expect(a.accept({ frameworkId: "fw", offerIds: [], operations: [] }, 0).error).toBe(
      "No offers specified",
    );
  });

  it("a task bigger than the offer: TASK_ERROR with Mesos's message; the offer is declined with the default filter", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:1;mem:512"));
    a.addFramework({ id: "fw", roles: ["web"] });
    const [o] = a.allocate(0).offers;
    const res = a.accept(
      {
        frameworkId: "fw",
        offerIds: [o!.id],
        operations: [
          launch("big", "n1", "cpus:2;mem:512"),
          launch("elsewhere", "n9", "cpus:0.1"),
          { type: "LAUNCH", tasks: [{ taskId: "empty", agentId: "n1", resources: Resources.EMPTY }] },
        ],
      },
      0,
    );
    expect(res.updates.map((u) => [u.taskId, u.state, u.reason, u.message])).toEqual([
      [
        "big",
        "TASK_ERROR",
        "REASON_TASK_INVALID",
        "Total resources cpus(allocated: web):2; mem(allocated: web):512 required by task and its executor is more than available cpus(allocated: web):1; mem(allocated: web):512",
      ],
      [
        "elsewhere",
        "TASK_ERROR",
        "REASON_TASK_INVALID",
        "Task uses invalid agent n9 while agent n1 is expected",
      ],
      ["empty", "TASK_ERROR", "REASON_TASK_INVALID", "Task uses no resources"],
    ]);
    expect(formatResources(res.declined)).toBe("cpus:1;mem:512");
    expect(a.allocate(1000).offers).toEqual([]);
    expect(a.allocate(5000).offers).toHaveLength(1);
  });

  it("tasks take the offer in order; a later task sees what earlier ones left", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["*"] });
    const [o] = a.allocate(0).offers;
    const res = a.accept(
      {
        frameworkId: "fw",
        offerIds: [o!.id],
        operations: [launch("a", "n1", "cpus:1.5"), launch("b", "n1", "cpus:1")],
      },
      0,
    );
    expect(res.launched.map((t) => t.taskId)).toEqual(["a"]);
    expect(res.updates.map((u) => u.taskId)).toEqual(["b"]);
  });

  it("a LAUNCH_GROUP is launched whole or every task gets REASON_TASK_GROUP_INVALID", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["*"] });
    const [o] = a.allocate(0).offers;
    const group = (cpus: string) => ({
      type: "LAUNCH_GROUP" as const,
      executorResources: r("cpus:0.1;mem:32"),
      tasks: [
        { taskId: `x${cpus}`, agentId: "n1", resources: r(`cpus:${cpus}`) },
        { taskId: `y${cpus}`, agentId: "n1", resources: r(`cpus:${cpus}`) },
      ],
    });
    const res = a.accept({ frameworkId: "fw", offerIds: [o!.id], operations: [group("1"), group("0.5")] }, 0);
    expect(res.updates.map((u) => [u.taskId, u.reason])).toEqual([
      ["x1", "REASON_TASK_GROUP_INVALID"],
      ["y1", "REASON_TASK_GROUP_INVALID"],
    ]);
    expect(res.launched.map((t) => t.taskId)).toEqual(["x0.5", "y0.5"]);
    expect(formatResources(res.declined)).toBe("cpus:0.9;mem:992");
  });

  it("a task group's executor resources are allocated to the framework until released, like its tasks'", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["*"] });
    const [o] = a.allocate(0).offers;
    const res = a.accept(
      {
        frameworkId: "fw",
        offerIds: [o!.id],
        operations: [
          {
            type: "LAUNCH_GROUP",
            executorResources: r("cpus:0.1;mem:32"),
            executorKey: "ns/pod/executor",
            tasks: [{ taskId: "x", agentId: "n1", resources: r("cpus:1;mem:128"), podKey: "ns/pod/x" }],
          },
        ],
        filters: { refuseSeconds: 0 },
      },
      0,
    );
    expect(res.executors.map((e) => [e.podKey, e.agentId, e.role, formatResources(e.resources)])).toEqual([
      ["ns/pod/executor", "n1", "*", "cpus:0.1;mem:32"],
    ]);
    expect(formatResources(a.agent("n1")!.used)).toBe("cpus:1.1;mem:160");
    expect(formatResources(a.usageOf("ns/pod/executor")!)).toBe("cpus:0.1;mem:32");
    // Offered again: everything but the group and its executor.
    expect(formatResources(a.allocate(1000).offers[0]!.resources)).toBe("cpus:0.9;mem:864");

    // The tasks end first; the executor's share is held until its own key is released.
    a.setPodUsage("ns/pod/x", undefined);
    expect(formatResources(a.agent("n1")!.used)).toBe("cpus:0.1;mem:32");
    a.setPodUsage("ns/pod/executor", undefined);
    expect(a.agent("n1")!.used.isEmpty).toBe(true);
  });

  it.each([
    ["no executor resources", undefined, []],
    ["empty executor resources", "", []],
  ])("a LAUNCH_GROUP with %s holds no executor", (_name, executor, expected) => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["*"] });
    const [o] = a.allocate(0).offers;
    const res = a.accept(
      {
        frameworkId: "fw",
        offerIds: [o!.id],
        operations: [
          {
            type: "LAUNCH_GROUP",
            executorResources: executor === undefined ? undefined : r(executor),
            tasks: [{ taskId: "x", agentId: "n1", resources: r("cpus:1") }],
          },
        ],
      },
      0,
    );
    expect(res.executors).toEqual(expected);
    expect(formatResources(a.agent("n1")!.used)).toBe("cpus:1");
  });

  it("RESERVE and UNRESERVE operations change the agent's reservations", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["web"], capabilities: ["RESERVATION_REFINEMENT"] });
    const [o] = a.allocate(0).offers;
    const dyn = Resources.scalars({ cpus: 1 }, [{ type: "DYNAMIC", role: "web", principal: "p" }]);
    const res = a.accept(
      {
        frameworkId: "fw",
        offerIds: [o!.id],
        operations: [
          { type: "RESERVE", resources: dyn },
          { type: "LAUNCH", tasks: [{ taskId: "t", agentId: "n1", resources: dyn }] },
          { type: "RESERVE", resources: Resources.scalars({ mem: 1 }, [{ type: "DYNAMIC", role: "other" }]) },
        ],
        filters: { refuseSeconds: 0 },
      },
      0,
    );
    expect(res.operationErrors).toEqual([
      {
        index: 2,
        message: "Invalid RESERVE Operation: reservation role 'other' does not match allocation role 'web'",
      },
    ]);
    expect(res.launched[0]!.resources.equals(dyn)).toBe(true);
    expect(formatResources(a.agent("n1")!.total)).toBe("cpus:1;cpus(web):1;mem:1024");
    expect(a.role("web").reserved.equals(dyn)).toBe(true);
    a.setPodUsage(res.launched[0]!.podKey, undefined);
    const [o2] = a.allocate(1000).offers;
    const back = a.accept(
      { frameworkId: "fw", offerIds: [o2!.id], operations: [{ type: "UNRESERVE", resources: dyn }] },
      1000,
    );
    expect(back.operationErrors).toEqual([]);
    expect(formatResources(a.agent("n1")!.total)).toBe("cpus:2;mem:1024");
  });

  it("an operator rescind leaves a 5 s filter", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["*"] });
    const [o] = a.allocate(0).offers;
    expect(a.rescindOffer(o!.id, 0)?.reason).toBe("operator");
    expect(a.allocate(4000).offers).toEqual([]);
    expect(a.allocate(5000).offers).toHaveLength(1);
    expect(a.rescindOffer("unknown", 0)).toBeUndefined();
  });

  it("DECLINE ignores unknown offers and other frameworks' offers", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["*"] });
    const [o] = a.allocate(0).offers;
    expect(a.decline("someone-else", [o!.id], undefined, 0)).toEqual([]);
    expect(a.decline("fw", ["nope", o!.id], undefined, 0).map((x) => x.id)).toEqual([o!.id]);
  });
});

describe("quota and roles", () => {
  it("refuses quota on nested roles and guarantees above limits", () => {
    const a = new Allocator();
    expect(() => a.setQuota("a/b", { limits: { cpus: 1 } })).toThrow(/nested/);
    expect(() => a.setQuota("a", { guarantees: { cpus: 2 }, limits: { cpus: 1 } })).toThrow(/exceeds/);
  });

  it("lowering a limit below consumption rescinds the role's offers", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["q/sub"] });
    const [o] = a.allocate(0).offers;
    expect(a.setQuota("q", { limits: { cpus: 4 } })).toEqual([]);
    expect(a.setQuota("q", { limits: { cpus: 1 } }).map((x) => [x.offer.id, x.reason])).toEqual([
      [o!.id, "quota-updated"],
    ]);
    expect(a.role("q").consumed).toEqual({});
  });

  it("reservations count against the quota limit even when unallocated", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus(q):2;cpus:4;mem:1024"));
    a.setQuota("q", { limits: { cpus: 2 } });
    a.addFramework({ id: "fw", roles: ["q"] });
    // The reserved 2 cpus reach the limit: only reservations and unlimited mem are offered.
    expect(describeOffers(a.allocate(0).offers)).toEqual(["fw@n1(q) cpus(q):2;mem:1024"]);
    expect(a.role("q").consumed).toEqual({ cpus: 2, mem: 1024 });
  });

  it("lists roles with frameworks, reservations, weights or quota", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus(res):1;mem:128"));
    a.addFramework({ id: "fw", roles: ["fw-role"] });
    a.setWeights({ weighted: 2 });
    a.setQuota("quota", { guarantees: { cpus: 1 } });
    expect(a.roleNames()).toEqual(["fw-role", "quota", "res", "weighted"]);
    expect(a.role("weighted").weight).toBe(2);
    expect(a.role("quota").quota).toEqual({ guarantees: { cpus: 1 } });
  });
});

describe("framework failover", () => {
  it("discards the framework's offers without filters", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["*"] });
    const [o] = a.allocate(0).offers;
    expect(a.discardOffers("fw").map((x) => x.id)).toEqual([o!.id]);
    expect(a.filterCount()).toBe(0);
    expect(a.allocate(1).offers).toHaveLength(1);
  });
});

describe("many agents", () => {
  it("removing agents in any order keeps the rest allocatable", () => {
    const a = new Allocator();
    for (let i = 0; i < 50; i++) a.upsertAgent(agent(`n${i}`, "cpus:1;mem:128"));
    for (let i = 0; i < 50; i += 3) a.removeAgent(`n${i}`);
    a.addFramework({ id: "fw", roles: ["*"] });
    const ids = a.allocate(0).offers.map((o) => o.agentId);
    expect(ids.length).toBe(33);
    expect(new Set(ids)).toEqual(new Set(a.agentIds()));
    expect(ids.some((id) => Number(id.slice(1)) % 3 === 0)).toBe(false);
  });
});

describe("dynamic reservations across node updates", () => {
  it("keeps a reservation and its refinement", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:4;mem:1024"));
    const eng = [{ type: "DYNAMIC" as const, role: "eng" }];
    a.reserve("n1", Resources.scalars({ cpus: 2 }, eng), 0);
    a.reserve("n1", Resources.scalars({ cpus: 1 }, [...eng, { type: "DYNAMIC", role: "eng/web" }]), 0);
    const before = a.agent("n1")!.total;
    expect(before.scalar("cpus")).toBe(4);
    a.upsertAgent(agent("n1", "cpus:4;mem:1024"));
    expect(a.agent("n1")!.total.equals(before)).toBe(true);
    // A node that shrank below its reservations keeps those that still fit.
    a.upsertAgent(agent("n1", "cpus:1;mem:1024"));
    expect(a.agent("n1")!.total.scalar("cpus")).toBe(1);
  });
});

describe("DRF tie-breaking counts offers, not task launches", () => {
  it("launching a task from an offer does not count as a second allocation", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fa", roles: ["*"] });
    a.addFramework({ id: "fb", roles: ["*"] });
    // Run 1: fa wins the name tie; it launches a task and the task ends.
    const [o1] = a.allocate(0).offers;
    expect(o1!.frameworkId).toBe("fa");
    const r1 = a.accept(
      { frameworkId: "fa", offerIds: [o1!.id], operations: [launch("t", "n1", "cpus:2;mem:1024")] },
      0,
    );
    a.setPodUsage(r1.launched[0]!.podKey, undefined);
    // Run 2: equal shares, fa has 1 allocation, fb 0 → fb.
    const [o2] = a.allocate(1000).offers;
    expect(o2!.frameworkId).toBe("fb");
    a.decline("fb", [o2!.id], { refuseSeconds: 0 }, 1000);
    // Run 3: both have 1 allocation: the name decides again (it would be fb if launches counted).
    expect(a.allocate(2000).offers[0]!.frameworkId).toBe("fa");
  });
});

describe("reshapeOffers: ACCEPT's RESERVE / UNRESERVE ahead of its launches", () => {
  const P = [{ type: "DYNAMIC" as const, role: "role", principal: "P" }];

  it("replaces the accepted offers by one offer of the reshaped resources, for the same framework", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["role"] });
    const [o] = a.allocate(0).offers;
    const reserved = Resources.scalars({ cpus: 1, mem: 512 }, P);
    const result = a.reshapeOffers("fw", [o!.id], [{ type: "RESERVE", resources: reserved }], 10);
    expect(result.error).toBeUndefined();
    expect(result.operationErrors).toEqual([]);
    expect(a.offer(o!.id)).toBeUndefined();
    const next = result.offer!;
    expect(next.id).not.toBe(o!.id);
    expect([next.frameworkId, next.role, next.agentId]).toEqual(["fw", "role", "n1"]);
    expect(formatResources(next.resources)).toBe("cpus:1;cpus(role):1;mem:512;mem(role):512");
    expect(a.agent("n1")!.dynamicReservations.equals(reserved)).toBe(true);
    // Nothing is left to offer to anyone else, and the role's quota consumption counts the reservation.
    expect(a.agent("n1")!.available.isEmpty).toBe(true);
    expect(a.role("role")!.consumed).toEqual({ cpus: 2, mem: 1024 });
    // A launch of the reserved resources uses the new offer.
    const launched = a.accept(
      {
        frameworkId: "fw",
        offerIds: [next.id],
        operations: [{ type: "LAUNCH", tasks: [{ taskId: "t1", agentId: "n1", resources: reserved }] }],
      },
      20,
    );
    expect(launched.error).toBeUndefined();
    expect(launched.launched.map((t) => t.taskId)).toEqual(["t1"]);
  });

  it("UNRESERVE gives the resources back unreserved; invalid operations are reported, the rest applies", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["role"] });
    const reserved = Resources.scalars({ cpus: 1 }, P);
    expect(a.reserve("n1", reserved, 0).error).toBeUndefined();
    const [o] = a.allocate(0).offers;
    const result = a.reshapeOffers(
      "fw",
      [o!.id],
      [
        { type: "UNRESERVE", resources: Resources.scalars({ cpus: 5 }, P) },
        { type: "UNRESERVE", resources: reserved },
      ],
      10,
    );
    expect(result.operationErrors.map((e) => e.index)).toEqual([0]);
    expect(result.operationErrors[0]!.message).toMatch(/^Invalid UNRESERVE Operation: .* does not contain/);
    expect(formatResources(result.offer!.resources)).toBe("cpus:2;mem:1024");
    expect(a.agent("n1")!.dynamicReservations.isEmpty).toBe(true);
  });

  it("changes nothing when the offers are not valid", () => {
    const a = new Allocator();
    a.upsertAgent(agent("n1", "cpus:2;mem:1024"));
    a.addFramework({ id: "fw", roles: ["role"] });
    const [o] = a.allocate(0).offers;
    const result = a.reshapeOffers(
      "fw",
      [o!.id, "nope"],
      [{ type: "RESERVE", resources: Resources.scalars({ cpus: 1 }, P) }],
      0,
    );
    expect(result.error).toBe("Offer nope is no longer valid");
    expect(a.offer(o!.id)).toBeDefined();
    expect(a.agent("n1")!.dynamicReservations.isEmpty).toBe(true);
  });
});
