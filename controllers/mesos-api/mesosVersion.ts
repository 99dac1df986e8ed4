// The Mesos version this façade answers as (GET_VERSION, /version, MasterInfo.version). Clients
// branch on it: pymesos adds GPU_RESOURCES for >= 1.0.0; tools expect a 1.x. 1.11.0 is the last
// Mesos release, whose API semantics.md describes (HEAD of the 1.12 tree only adds to it).
export const MESOS_VERSION = "1.11.0";

/** master.proto VersionInfo. */
export interface VersionInfo {
  version: string;
  build_date?: string | undefined;
  /** Seconds since the epoch. */
  build_time?: number | undefined;
  build_user?: string | undefined;
  git_sha?: string | undefined;
  git_branch?: string | undefined;
  git_tag?: string | undefined;
}

export const VERSION_INFO: VersionInfo = {
  version: MESOS_VERSION,
  build_date: "2026-01-01 00:00:00",
  build_time: 1767225600,
  build_user: "mesos-operator",
};
