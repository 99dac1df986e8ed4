// MasterInfo as the v1 APIs (scheduler SUBSCRIBED, operator GET_MASTER) carry it. The master keeps
// its capabilities as v0 protobuf and evolves them to v1; in Mesos 1.11.0 the v1
// MasterInfo.Capability.Type enum stops at AGENT_DRAINING (QUOTA_V2 was added to v1 only after
// 1.11.0), so a 1.11 master's v1 MasterInfo never names QUOTA_V2 — the v0 /master/state does.
// Naming it breaks strict JSON clients: mesos-go v0.0.11 rejects the whole SUBSCRIBED event with
// "unrecognized enum MasterInfo_Capability_Type value QUOTA_V2".
import type { MasterInfo } from "./masterInfo.ts";

/** MasterInfo.Capability.Type values of Mesos 1.11.0's include/mesos/v1/mesos.proto. */
export const V1_MASTER_CAPABILITY_TYPES: ReadonlySet<string> = new Set(["AGENT_UPDATE", "AGENT_DRAINING"]);

/** `info` with only the capabilities the v1 API of Mesos 1.11 can name. */
export function v1MasterInfo(info: MasterInfo): MasterInfo {
  if (info.capabilities === undefined) return info;
  return { ...info, capabilities: info.capabilities.filter((c) => V1_MASTER_CAPABILITY_TYPES.has(c.type)) };
}
