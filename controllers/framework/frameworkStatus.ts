// A Framework's status: its FrameworkID, phase and times, its resources per role from the
// allocator, and conditions (Ready, Connected for Mesos API frameworks, RolesValid, TasksScheduled).
// Computed whole from its inputs; an unchanged input gives an equal status, so no write.

import { toCompactResources } from "../allocation/resourceShapes.ts";
import type { FrameworkView } from "../allocator/index.ts";
import { type Framework, type FrameworkStatus, setCondition } from "../api/index.ts";
import type { ConditionInput } from "../task/whyNotRunning.ts";
import { AWAITING_RESUBSCRIPTION, CONNECTED_CONDITION, type PhaseDecision } from "./frameworkPhase.ts";
import { ROLES_VALID_CONDITION, type RoleCheck } from "./frameworkRoles.ts";

export const READY_CONDITION = "Ready";

export interface FrameworkStatusInput {
  framework: Framework;
  frameworkId: string;
  phase: PhaseDecision;
  /** As in PhaseInput: undefined for frameworks made with kubectl. */
  connected: boolean | undefined;
  /** As in PhaseInput: not connected because the operator failed over. */
  awaitingResubscription?: boolean | undefined;
  roles: RoleCheck;
  /** The allocator's view of the framework (Allocator.framework), when it holds it. */
  view: FrameworkView | undefined;
  /** Non-terminal tasks. */
  activeTasks: number;
  /** Summary of its tasks waiting for resources (whyNotRunning.tasksScheduledCondition). */
  tasksScheduled?: ConditionInput | undefined;
  now: Date;
}

const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export function frameworkStatus(input: FrameworkStatusInput): FrameworkStatus {
  const { framework: fw, phase, now } = input;
  const before = fw.status ?? {};
  const generation = fw.metadata.generation;
  const status: FrameworkStatus = {
    frameworkId: input.frameworkId,
    phase: phase.phase,
    activeTasks: input.activeTasks,
  };
  if (input.connected !== undefined) status.connected = input.connected;
  const registeredTime = before.registeredTime ?? (phase.phase === "Active" ? iso(now) : undefined);
  if (registeredTime !== undefined) status.registeredTime = registeredTime;
  const reregistered =
    phase.phase === "Active" && before.phase === "Disconnected" ? iso(now) : before.reregisteredTime;
  if (reregistered !== undefined) status.reregisteredTime = reregistered;
  const unregistered = before.unregisteredTime ?? (phase.phase === "Completed" ? iso(now) : undefined);
  if (unregistered !== undefined) status.unregisteredTime = unregistered;
  const resources = (input.view?.roles ?? [])
    .map((r) => {
      const entry: NonNullable<FrameworkStatus["resources"]>[number] = { role: r.role };
      if (!r.allocated.isEmpty) entry.allocated = toCompactResources(r.allocated);
      if (!r.offered.isEmpty) entry.offered = toCompactResources(r.offered);
      return entry;
    })
    .filter((e) => e.allocated !== undefined || e.offered !== undefined);
  if (resources.length > 0) status.resources = resources;
  if (generation !== undefined) status.observedGeneration = generation;

  const withGeneration = (c: ConditionInput): ConditionInput =>
    generation === undefined ? c : { ...c, observedGeneration: generation };
  let conditions = setCondition(
    before.conditions,
    withGeneration({
      type: READY_CONDITION,
      status: phase.phase === "Active" ? "True" : "False",
      reason: phase.reason,
      message: phase.message,
    }),
    now,
  );
  if (input.connected !== undefined)
    conditions = setCondition(
      conditions,
      withGeneration({
        type: CONNECTED_CONDITION,
        status: input.connected ? "True" : "False",
        reason: input.connected
          ? "Subscribed"
          : input.awaitingResubscription
            ? AWAITING_RESUBSCRIPTION
            : "StreamClosed",
        message: input.connected
          ? "A scheduler is subscribed."
          : input.awaitingResubscription
            ? "The operator failed over; no scheduler has subscribed to the new leader yet."
            : "No scheduler is subscribed; the failover timeout runs.",
      }),
      now,
    );
  conditions = setCondition(
    conditions,
    withGeneration(
      input.roles.valid
        ? { type: ROLES_VALID_CONDITION, status: "True", reason: "Valid", message: input.roles.message }
        : {
            type: ROLES_VALID_CONDITION,
            status: "False",
            reason: input.roles.reason,
            message: input.roles.message,
          },
    ),
    now,
  );
  if (input.tasksScheduled !== undefined)
    conditions = setCondition(conditions, withGeneration(input.tasksScheduled), now);
  status.conditions = conditions;
  return status;
}
