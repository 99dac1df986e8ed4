// An agent as the legacy endpoints show it (Mesos model(Slave), semantics.md §3.4).
import type { AgentState } from "../messages/agent.ts";
import type { AgentInfo } from "../messages/agentInfo.ts";
import type { Attribute, Resource } from "../messages/resource.ts";
import { secondsFromTimeInfo } from "../messages/time.ts";
import { reservedByRole, reservedSummaries, summary, unreserved } from "./legacyResources.ts";

/** Agent attributes as an object: scalars as numbers, text as strings, ranges and sets as text. */
export function attributesObject(
  attributes: readonly Attribute[] | undefined,
): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const a of attributes ?? []) {
    if (a.type === "SCALAR") out[a.name] = a.scalar?.value ?? 0;
    else if (a.type === "TEXT") out[a.name] = a.text?.value ?? "";
    else if (a.type === "RANGES")
      out[a.name] = `[${(a.ranges?.range ?? []).map((r) => `${r.begin}-${r.end}`).join(", ")}]`;
    else out[a.name] = `{${(a.set?.item ?? []).join(",")}}`;
  }
  return out;
}

export function legacyRecoveredAgent(info: AgentInfo): Record<string, unknown> {
  return {
    id: info.id?.value ?? "",
    hostname: info.hostname,
    port: info.port ?? 5051,
    attributes: attributesObject(info.attributes),
    domain: info.domain,
  };
}

export function legacyAgent(agent: AgentState): Record<string, unknown> {
  const info = agent.agent_info;
  const total = agent.total_resources ?? info.resources ?? [];
  return {
    ...legacyRecoveredAgent(info),
    pid: agent.pid,
    registered_time: agent.registered_time === undefined ? 0 : secondsFromTimeInfo(agent.registered_time),
    reregistered_time:
      agent.reregistered_time === undefined ? undefined : secondsFromTimeInfo(agent.reregistered_time),
    resources: summary(total),
    used_resources: summary(agent.allocated_resources),
    offered_resources: summary(agent.offered_resources),
    reserved_resources: reservedSummaries(total),
    unreserved_resources: summary(unreserved(total)),
    active: agent.active,
    deactivated: agent.deactivated ?? !agent.active,
    version: agent.version,
    capabilities: (agent.capabilities ?? []).map((c) => c.type),
    drain_info: agent.drain_info,
    estimated_drain_start_time_seconds:
      agent.estimated_drain_start_time === undefined
        ? undefined
        : secondsFromTimeInfo(agent.estimated_drain_start_time),
  };
}

/** /master/slaves adds the protobuf forms of the resource groups. */
export function legacyAgentWithFullResources(agent: AgentState): Record<string, unknown> {
  const total: Resource[] = agent.total_resources ?? agent.agent_info.resources ?? [];
  return {
    ...legacyAgent(agent),
    reserved_resources_full: reservedByRole(total),
    unreserved_resources_full: unreserved(total),
    used_resources_full: agent.allocated_resources ?? [],
    offered_resources_full: agent.offered_resources ?? [],
  };
}
