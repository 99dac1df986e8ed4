// GET /master/slaves[?slave_id=]: agents with the protobuf forms of their resources too.
import type { MasterSnapshot } from "../backend.ts";
import { legacyAgentWithFullResources, legacyRecoveredAgent } from "./legacyAgent.ts";

export function slavesEndpoint(
  snapshot: MasterSnapshot,
  agentId: string | undefined,
): Record<string, unknown> {
  const wanted = (id: string | undefined) => agentId === undefined || id === agentId;
  return {
    slaves: snapshot.agents.filter((a) => wanted(a.agent_info.id?.value)).map(legacyAgentWithFullResources),
    recovered_slaves: snapshot.recoveredAgents.filter((a) => wanted(a.id?.value)).map(legacyRecoveredAgent),
  };
}
