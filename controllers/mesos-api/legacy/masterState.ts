// GET /master/state (and /state): the document mesos-dns, marathon-lb, UIs and CLIs read
// (semantics.md §3.4).
import type { Leadership, MasterDescription, MasterSnapshot } from "../backend.ts";
import { VERSION_INFO } from "../mesosVersion.ts";
import { legacyAgent, legacyRecoveredAgent } from "./legacyAgent.ts";
import { legacyFramework, tasksByFramework } from "./legacyFramework.ts";

/** `master@ip:port`, the libprocess PID tools parse. */
export function masterPid(master: MasterDescription): string {
  const info = master.info;
  return info.pid ?? `master@${info.address?.ip ?? info.hostname ?? ""}:${info.port}`;
}

function leaderFields(master: MasterDescription, leadership: Leadership): Record<string, unknown> {
  if (leadership.leading) {
    const info = master.info;
    return {
      leader: masterPid(master),
      leader_info: {
        id: info.id,
        pid: masterPid(master),
        port: info.port,
        hostname: info.hostname,
        domain: info.domain,
      },
    };
  }
  if (leadership.leader === undefined) return {};
  const { hostname, port } = leadership.leader;
  return {
    leader: `master@${hostname}:${port}`,
    leader_info: { pid: `master@${hostname}:${port}`, port, hostname },
  };
}

export function masterState(
  master: MasterDescription,
  leadership: Leadership,
  snapshot: MasterSnapshot,
): Record<string, unknown> {
  const owned = tasksByFramework(snapshot);
  const info = master.info;
  return {
    ...VERSION_INFO,
    version: info.version ?? VERSION_INFO.version,
    start_time: master.startTime,
    ...(master.electedTime === undefined ? {} : { elected_time: master.electedTime }),
    id: info.id,
    pid: masterPid(master),
    hostname: info.hostname ?? "",
    capabilities: (info.capabilities ?? []).map((c) => c.type),
    activated_slaves: snapshot.agents.filter((a) => a.active).length,
    deactivated_slaves: snapshot.agents.filter((a) => !a.active).length,
    unreachable_slaves: snapshot.unreachableAgentIds.length,
    ...(info.domain === undefined ? {} : { domain: info.domain }),
    ...leaderFields(master, leadership),
    ...(master.cluster === undefined ? {} : { cluster: master.cluster }),
    flags: master.flags,
    slaves: snapshot.agents.map(legacyAgent),
    recovered_slaves: snapshot.recoveredAgents.map(legacyRecoveredAgent),
    frameworks: snapshot.frameworks.map((f) =>
      legacyFramework(f, owned.get(f.framework_info.id?.value ?? "")),
    ),
    completed_frameworks: snapshot.completedFrameworks.map((f) =>
      legacyFramework(f, owned.get(f.framework_info.id?.value ?? "")),
    ),
    orphan_tasks: [],
    unregistered_frameworks: [],
  };
}
