// DRAIN_AGENT and the drain side of REACTIVATE_AGENT (Mesos Master::Http::drainAgent,
// _drainAgent, _reactivateAgent in src/master/http.cpp), decided on the agent's Node. Draining
// writes the drain annotation (DRAINING, its DrainConfig, when it began) and cordons the node:
// the agent is deactivated, the task reconciler kills its tasks, the drain reconciler makes it
// DRAINED or marks it gone (controllers/drain). Draining again overwrites the config and starts
// over from DRAINING, as the registry's DrainAgent operation does. Pure: the caller writes the patch.
import { DRAIN_ANNOTATION, nodeDrain, nodeDrainText } from "../../allocator/index.ts";
import type { Node } from "../../cluster/nodeSchema.ts";
import type { AgentState } from "../messages/agent.ts";
import type { MachineId, MaintenanceSchedule } from "../messages/maintenance.ts";
import { timeInfoFromSeconds } from "../messages/time.ts";
import { machineAddressOf, type NodePatch } from "./maintenanceNodes.ts";
import { machineMatches } from "./maintenanceSchedule.ts";

export type DrainCallOutcome =
  | { ok: false; status: 400; message: string }
  | { ok: true; patch: NodePatch | undefined };

/** operator<<(MachineID) in Mesos's type_utils.cpp: `host (ip)`, `host` or `(ip)`. */
export function machineText(id: MachineId): string {
  if (id.hostname !== undefined && id.ip !== undefined) return `${id.hostname} (${id.ip})`;
  if (id.hostname !== undefined) return id.hostname;
  return `(${id.ip ?? ""})`;
}

export interface DrainAgentInput {
  agentId: string;
  /** The agent's node; undefined when no node is that agent. */
  node: Node | undefined;
  /** The maintenance schedule: an agent under it cannot be drained. */
  schedule: MaintenanceSchedule;
  maxGracePeriodSeconds: number | undefined;
  markGone: boolean;
  now: Date;
}

export function drainAgent(input: DrainAgentInput): DrainCallOutcome {
  const { node } = input;
  if (node === undefined) return { ok: false, status: 400, message: "Unknown agent" };
  const address = machineAddressOf(node);
  // Mesos looks at the first schedule only; this master keeps one.
  for (const window of input.schedule.windows)
    for (const id of window.machine_ids)
      if (machineMatches(id, address))
        return {
          ok: false,
          status: 400,
          message: `Agent ${input.agentId} is part of a maintenance schedule under Machine ${machineText(id)}`,
        };
  const grace = input.maxGracePeriodSeconds;
  const text = nodeDrainText({
    state: "DRAINING",
    config: {
      mark_gone: input.markGone,
      // A negative bound kills at once (as a zero grace period).
      ...(grace === undefined
        ? {}
        : { max_grace_period: { nanoseconds: Math.max(0, Math.round(grace * 1e9)) } }),
    },
    started: input.now.toISOString(),
  });
  return {
    ok: true,
    patch: {
      annotations: { [DRAIN_ANNOTATION]: text },
      ...(node.spec?.unschedulable === true ? {} : { unschedulable: true }),
    },
  };
}

/**
 * REACTIVATE_AGENT: 400 "Agent is not deactivated" unless cordoned or drained, 400 "Agent is
 * still in the DRAINING state" while draining; else the cordon and the drain state go.
 */
export function reactivateAgent(node: Node | undefined): DrainCallOutcome {
  const drain = node === undefined ? undefined : nodeDrain(node);
  const cordoned = node?.spec?.unschedulable === true;
  if (node === undefined || (!cordoned && drain === undefined))
    return { ok: false, status: 400, message: "Agent is not deactivated" };
  if (drain?.state === "DRAINING")
    return { ok: false, status: 400, message: "Agent is still in the DRAINING state" };
  const annotated = node.metadata.annotations?.[DRAIN_ANNOTATION] !== undefined;
  return {
    ok: true,
    patch: {
      ...(annotated ? { annotations: { [DRAIN_ANNOTATION]: null } } : {}),
      ...(cordoned ? { unschedulable: false } : {}),
    },
  };
}

/** GetAgents.Agent's drain_info and estimated_drain_start_time for the node; nothing when not draining. */
export function agentDrainFields(
  node: Node | undefined,
): Pick<AgentState, "drain_info" | "estimated_drain_start_time"> {
  const drain = node === undefined ? undefined : nodeDrain(node);
  if (drain === undefined) return {};
  const grace = drain.config.max_grace_period;
  return {
    drain_info: {
      state: drain.state,
      config: {
        mark_gone: drain.config.mark_gone,
        ...(grace === undefined ? {} : { max_grace_period: { nanoseconds: grace.nanoseconds } }),
      },
    },
    estimated_drain_start_time: timeInfoFromSeconds(Date.parse(drain.started) / 1000),
  };
}
