// The role reconciler: a Role's status from the allocator — allocated, offered and reserved
// resources, dominant share, its frameworks, and whether its weight and quota are in force. The
// allocator side (weights, quota) is the allocation loop's, which follows the same Role objects.
import type { AllocationAccess } from "../allocation/allocationLoop.ts";
import type { Framework, Role, Task } from "../api/index.ts";
import { type Controller, isConflict, requeueSoonWhen, watch } from "../cluster/index.ts";
import { canonicalJson } from "../framework/frameworkController.ts";
import type { OperatorContext } from "../main.ts";
import { tasksScheduledCondition, waitingTasks } from "../task/whyNotRunning.ts";
import { mesosRoleName, roleConfigOf } from "./roleConfig.ts";
import { roleStatus } from "./roleStatus.ts";

export const ROLE_CONTROLLER = "role";

/**
 * Allocations change with every task, not with the Role object, so the status is refreshed on this
 * period (shares are rounded, so an unchanged role writes nothing).
 */
const ROLE_STATUS_REFRESH_MS = 5_000;

export function roleControllers(ctx: OperatorContext, access: AllocationAccess): Controller[] {
  const { informers, writers } = ctx.cluster;

  /** Tasks that would launch in this role: their own role, else their framework's first role. */
  function tasksWaitingIn(roleName: string): Task[] {
    return (informers.tasks.cache.list() as Task[]).filter((t) => {
      if (t.status?.state !== undefined) return false;
      const fw = informers.frameworks.cache.getByName(t.metadata.namespace, t.spec.frameworkName) as
        | Framework
        | undefined;
      return (t.spec.role ?? fw?.spec.roles?.[0] ?? "*") === roleName;
    });
  }

  async function reconcile(key: string): Promise<{ requeueAfterMs?: number } | undefined> {
    const role = informers.roles.cache.get(key) as Role | undefined;
    if (role === undefined) return undefined;
    const view = access.role(mesosRoleName(role));
    if (view === undefined) return { requeueAfterMs: 500 };
    const conflicts = roleConfigOf(informers.roles.cache.list() as Role[]).conflicts;
    const status = roleStatus({
      role,
      view,
      conflictsWith: conflicts.get(role.metadata.name ?? ""),
      frameworkName: (id) => access.frameworkKeyOf(id),
      tasksScheduled: tasksScheduledCondition(
        waitingTasks(tasksWaitingIn(mesosRoleName(role))),
        role.metadata.generation,
      ),
      now: new Date(),
    });
    if (canonicalJson(status) !== canonicalJson(role.status ?? {}))
      await writers.roles.applyStatus({ name: role.metadata.name ?? "" }, status, {
        resourceVersion: role.metadata.resourceVersion,
      });
    return { requeueAfterMs: ROLE_STATUS_REFRESH_MS };
  }

  return [
    {
      name: ROLE_CONTROLLER,
      watches: [watch(informers.roles)],
      reconcile: requeueSoonWhen(isConflict, reconcile),
    },
  ];
}
