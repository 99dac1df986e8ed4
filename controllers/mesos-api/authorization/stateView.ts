// What of the master's state a principal may see (Mesos's view_* ACLs, as the master filters
// GET_STATE, GET_FRAMEWORKS, GET_TASKS, GET_EXECUTORS, GET_ROLES, GET_WEIGHTS, GET_QUOTA and
// /master/state, /frameworks, /tasks, /roles): frameworks by their user (view_frameworks),
// tasks and executors of visible frameworks by theirs (view_tasks, view_executors), roles and
// weights by role (view_roles), quota by role (get_quotas), the maintenance schedule and status
// whole or not at all (get_maintenance_schedules, get_maintenance_statuses: their object is any
// machine). Agents are shown whole.
import type { MasterSnapshot } from "../backend.ts";
import type { Approver, Authorizer } from "./aclsFile.ts";

/** The snapshot as `principal` may see it; unchanged without ACLs. */
export async function visibleSnapshot(
  authorizer: Authorizer | undefined,
  principal: string | undefined,
  snapshot: MasterSnapshot,
): Promise<MasterSnapshot> {
  if (authorizer === undefined) return snapshot;
  return filterSnapshot(await authorizer.approver(), principal, snapshot);
}

export function filterSnapshot(
  approve: Approver,
  principal: string | undefined,
  snapshot: MasterSnapshot,
): MasterSnapshot {
  const userOf = new Map<string, string>();
  const visible = new Set<string>();
  for (const f of [...snapshot.frameworks, ...snapshot.completedFrameworks]) {
    const id = f.framework_info.id?.value ?? "";
    userOf.set(id, f.framework_info.user);
    if (approve({ acl: "view_frameworks", principal, user: f.framework_info.user })) visible.add(id);
  }
  const frameworkVisible = (f: { framework_info: { id?: { value: string } | undefined } }) =>
    visible.has(f.framework_info.id?.value ?? "");
  // VIEW_TASK: the task's user, else its framework's; only tasks of frameworks one may see.
  const taskVisible = (t: { framework_id: { value: string }; user?: string | undefined }) =>
    visible.has(t.framework_id.value) &&
    approve({ acl: "view_tasks", principal, user: t.user ?? userOf.get(t.framework_id.value) ?? "" });
  const roleVisible = (role: string | undefined) =>
    approve({ acl: "view_roles", principal, role: role ?? "*" });
  return {
    ...snapshot,
    frameworks: snapshot.frameworks.filter(frameworkVisible),
    completedFrameworks: snapshot.completedFrameworks.filter(frameworkVisible),
    tasks: snapshot.tasks.filter(taskVisible),
    unreachableTasks: snapshot.unreachableTasks.filter(taskVisible),
    completedTasks: snapshot.completedTasks.filter(taskVisible),
    executors: snapshot.executors.filter((e) => {
      const frameworkId = e.executor_info.framework_id?.value ?? "";
      const user = e.executor_info.command?.user ?? userOf.get(frameworkId) ?? "";
      return visible.has(frameworkId) && approve({ acl: "view_executors", principal, user });
    }),
    roles: snapshot.roles.filter((r) => roleVisible(r.name)),
    weights: snapshot.weights.filter((w) => roleVisible(w.role)),
    quotaConfigs: snapshot.quotaConfigs.filter((q) =>
      approve({ acl: "get_quotas", principal, role: q.role }),
    ),
    maintenance: {
      schedule: approve({ acl: "get_maintenance_schedules", principal })
        ? snapshot.maintenance.schedule
        : { windows: [] },
      status: approve({ acl: "get_maintenance_statuses", principal })
        ? snapshot.maintenance.status
        : { draining_machines: [], down_machines: [] },
    },
  };
}

/** May `principal` see the master's flags (GET_FLAGS, /flags)? */
export async function mayViewFlags(
  authorizer: Authorizer | undefined,
  principal: string | undefined,
): Promise<boolean> {
  if (authorizer === undefined) return true;
  return (await authorizer.approver())({ acl: "view_flags", principal });
}
