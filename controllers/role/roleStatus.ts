// A Role's status from the allocator's view of its role (Allocator.role): allocated, offered and
// reserved resources, dominant share and subscribed frameworks, with a Ready condition that says
// whether this object's weight and quota are the ones in force.

import { toCompactResources } from "../allocation/resourceShapes.ts";
import type { RoleView } from "../allocator/index.ts";
import { type Role, type RoleStatus, setCondition } from "../api/index.ts";
import type { ConditionInput } from "../task/whyNotRunning.ts";

export const ROLE_READY_CONDITION = "Ready";

export interface RoleStatusInput {
  role: Role;
  view: RoleView;
  /** The Role object that holds the Mesos role when this one lost a conflict (roleConfig.ts). */
  conflictsWith?: string | undefined;
  /** `namespace/name` of a framework by its FrameworkID, when known. */
  frameworkName: (frameworkId: string) => string | undefined;
  tasksScheduled?: ConditionInput | undefined;
  now: Date;
}

/** Shares change in the last digits with every task; four digits keep status writes rare. */
const SHARE_DIGITS = 1e4;

export function roleStatus(input: RoleStatusInput): RoleStatus {
  const { role, view, now } = input;
  const generation = role.metadata.generation;
  const status: RoleStatus = {
    dominantShare: Math.min(1, Math.round(view.share * SHARE_DIGITS) / SHARE_DIGITS),
  };
  if (!view.allocated.isEmpty) status.allocated = toCompactResources(view.allocated);
  if (!view.offered.isEmpty) status.offered = toCompactResources(view.offered);
  if (!view.reserved.isEmpty) status.reserved = toCompactResources(view.reserved);
  const frameworks = view.frameworks.map((id) => input.frameworkName(id) ?? id).sort();
  if (frameworks.length > 0) status.frameworks = frameworks;
  if (generation !== undefined) status.observedGeneration = generation;
  const ready: ConditionInput =
    input.conflictsWith === undefined
      ? {
          type: ROLE_READY_CONDITION,
          status: "True",
          reason: "Applied",
          message: `Weight ${role.spec.weight}${role.spec.quota === undefined ? "" : " and quota"} in force for role ${view.name}.`,
        }
      : {
          type: ROLE_READY_CONDITION,
          status: "False",
          reason: "DuplicateRole",
          message: `Role ${view.name} is configured by the older Role ${input.conflictsWith}; this one is ignored.`,
        };
  if (generation !== undefined) ready.observedGeneration = generation;
  let conditions = setCondition(role.status?.conditions, ready, now);
  if (input.tasksScheduled !== undefined) conditions = setCondition(conditions, input.tasksScheduled, now);
  status.conditions = conditions;
  return status;
}
