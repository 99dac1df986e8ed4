import { describe, expect, it } from "vitest";
import type { MasterSnapshot } from "../backend.ts";
import { parseAcls } from "./acls.ts";
import { authorize } from "./localAuthorizer.ts";
import { filterSnapshot } from "./stateView.ts";

const framework = (id: string, user: string) =>
  ({ framework_info: { id: { value: id }, user, name: id } }) as MasterSnapshot["frameworks"][number];
const task = (id: string, frameworkId: string, user?: string) =>
  ({ task_id: { value: id }, framework_id: { value: frameworkId }, user }) as MasterSnapshot["tasks"][number];
const executor = (id: string, frameworkId: string, user?: string) =>
  ({
    executor_info: { executor_id: { value: id }, framework_id: { value: frameworkId }, command: { user } },
    agent_id: { value: "a" },
  }) as MasterSnapshot["executors"][number];
const role = (name: string) => ({ name }) as MasterSnapshot["roles"][number];

const SNAPSHOT = {
  frameworks: [framework("web", "www"), framework("batch", "hadoop")],
  completedFrameworks: [framework("old", "www")],
  tasks: [task("w1", "web"), task("w2", "web", "root"), task("b1", "batch")],
  unreachableTasks: [],
  completedTasks: [task("o1", "old")],
  executors: [executor("e1", "web"), executor("e2", "web", "root"), executor("e3", "batch")],
  roles: [role("web"), role("web/a"), role("batch")],
  weights: [
    { role: "web", weight: 2 },
    { role: "batch", weight: 1 },
  ],
  quotaConfigs: [{ role: "web" }, { role: "batch" }],
  agents: [{}],
  maintenance: {
    schedule: {
      windows: [{ machine_ids: [{ hostname: "n1" }], unavailability: { start: { nanoseconds: 0 } } }],
    },
    status: { draining_machines: [], down_machines: [{ hostname: "n2" }] },
  },
} as unknown as MasterSnapshot;

const acls = parseAcls(
  JSON.stringify({
    permissive: false,
    view_frameworks: [{ principals: { values: ["alice"] }, users: { values: ["www"] } }],
    view_tasks: [{ principals: { values: ["alice"] }, users: { values: ["www", "hadoop"] } }],
    view_executors: [{ principals: { values: ["alice"] }, users: { values: ["www"] } }],
    view_roles: [{ principals: { values: ["alice"] }, roles: { values: ["web", "web/%"] } }],
    get_quotas: [{ principals: { values: ["alice"] }, roles: { values: ["batch"] } }],
    get_maintenance_schedules: [{ principals: { values: ["alice"] }, machines: { type: "ANY" } }],
  }),
);

describe("filterSnapshot", () => {
  const seen = filterSnapshot((r) => authorize(acls, r), "alice", SNAPSHOT);

  it("shows frameworks by their user, and tasks and executors only of those frameworks, by theirs", () => {
    expect(seen.frameworks.map((f) => f.framework_info.id?.value)).toEqual(["web"]);
    expect(seen.completedFrameworks.map((f) => f.framework_info.id?.value)).toEqual(["old"]);
    // w2 runs as root (not viewable); b1's user may be viewed but its framework may not.
    expect(seen.tasks.map((t) => t.task_id.value)).toEqual(["w1"]);
    expect(seen.completedTasks.map((t) => t.task_id.value)).toEqual(["o1"]);
    expect(seen.executors.map((e) => e.executor_info.executor_id.value)).toEqual(["e1"]);
  });

  it("shows roles and weights by view_roles (hierarchical), quota by get_quotas, agents whole", () => {
    expect(seen.roles.map((r) => r.name)).toEqual(["web", "web/a"]);
    expect(seen.weights.map((w) => w.role)).toEqual(["web"]);
    expect(seen.quotaConfigs.map((q) => q.role)).toEqual(["batch"]);
    expect(seen.agents).toHaveLength(1);
  });

  it("shows the maintenance schedule and status whole or not at all", () => {
    expect(seen.maintenance.schedule).toBe(SNAPSHOT.maintenance.schedule);
    expect(seen.maintenance.status).toEqual({ draining_machines: [], down_machines: [] });
  });

  it("hides everything from a principal no ACL names when not permissive", () => {
    const none = filterSnapshot((r) => authorize(acls, r), "mallory", SNAPSHOT);
    expect(
      [none.frameworks, none.tasks, none.executors, none.roles, none.quotaConfigs].map((l) => l.length),
    ).toEqual([0, 0, 0, 0, 0]);
  });
});
