// Pure conversions between the Mesos wire messages of the scheduler API and the custom resources
// both doors share: FrameworkInfo ⇄ Framework spec, TaskInfo → Task spec, Task status updates →
// TaskStatus (UPDATE events) and Task objects → the Mesos Task shape of the read-only calls.
import {
  FRAMEWORK_CAPABILITIES,
  type Framework,
  type FrameworkSpec,
  isTerminalTaskState,
  type Resources,
  type Task as TaskObject,
  type TaskSpec,
  type TaskStatusUpdate,
} from "../../api/index.ts";
import { dnsLabelFor } from "../../task/kubernetesNames.ts";
import { isLostToPartition } from "../../task/taskTransitions.ts";
import type { FrameworkInfo } from "../messages/frameworkInfo.ts";
import type { Resource } from "../messages/resource.ts";
import type { Task } from "../messages/task.ts";
import type { TaskInfo } from "../messages/taskInfo.ts";
import type { TaskStatus } from "../messages/taskStatus.ts";
import { timeInfoFromSeconds } from "../messages/time.ts";
import { uuidTextToBase64 } from "../wire/uuid.ts";

/** The roles of a FrameworkInfo: `roles` (MULTI_ROLE), else the old single `role`, else "*". */
export function rolesOf(info: FrameworkInfo): string[] {
  if (info.roles.length > 0) return [...new Set(info.roles)];
  return [info.role ?? "*"];
}

const KNOWN_CAPABILITIES = new Set<string>(FRAMEWORK_CAPABILITIES);

/** The Framework spec for a subscribing scheduler's FrameworkInfo. */
export function frameworkSpecFromInfo(
  info: FrameworkInfo,
  suppressedRoles: readonly string[] = [],
): FrameworkSpec {
  const roles = rolesOf(info);
  const spec: FrameworkSpec = {
    user: info.user === "" ? "nobody" : info.user,
    roles,
    failoverTimeout: Math.max(0, Math.min(info.failover_timeout, 9_000_000_000)),
    checkpoint: info.checkpoint,
  };
  if (info.name !== "") spec.name = info.name.slice(0, 256);
  const capabilities = [
    ...new Set(
      info.capabilities
        .map((c) => c.type)
        .filter(
          (t): t is (typeof FRAMEWORK_CAPABILITIES)[number] => t !== undefined && KNOWN_CAPABILITIES.has(t),
        ),
    ),
  ];
  if (capabilities.length > 0) spec.capabilities = capabilities;
  if (info.principal !== undefined && info.principal !== "") spec.principal = info.principal;
  if (info.hostname !== undefined && info.hostname !== "") spec.hostname = info.hostname.slice(0, 253);
  if (info.webui_url !== undefined && info.webui_url !== "") spec.webuiUrl = info.webui_url;
  const labels = labelsFromWire(info.labels?.labels);
  if (labels !== undefined) spec.labels = labels;
  const suppressed = suppressedRoles.filter((r) => roles.includes(r));
  if (suppressed.length > 0) spec.suppressedRoles = [...new Set(suppressed)];
  return spec;
}

/** The FrameworkInfo a Framework object shows through the API (with its id). */
export function frameworkInfoFromObject(fw: Framework, frameworkId: string): FrameworkInfo {
  const s = fw.spec;
  const info: FrameworkInfo = {
    user: s.user,
    name: s.name ?? fw.metadata.name ?? "",
    id: { value: frameworkId },
    failover_timeout: s.failoverTimeout,
    checkpoint: s.checkpoint,
    roles: [...s.roles],
    capabilities: (s.capabilities ?? []).map((type) => ({ type })),
  };
  if (!s.roles.includes("*") || s.roles.length > 1) info.capabilities.push({ type: "MULTI_ROLE" });
  if (s.principal !== undefined) info.principal = s.principal;
  if (s.hostname !== undefined) info.hostname = s.hostname;
  if (s.webuiUrl !== undefined) info.webui_url = s.webuiUrl;
  if (s.labels !== undefined)
    info.labels = { labels: Object.entries(s.labels).map(([key, value]) => ({ key, value })) };
  return info;
}

/** Mesos labels (a list) as the custom resources keep them (a map; a later key wins). */
export function labelsFromWire(
  labels: readonly { key: string; value?: string | undefined }[] | undefined,
): Record<string, string> | undefined {
  if (labels === undefined || labels.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const l of labels.slice(0, 64)) out[l.key] = (l.value ?? "").slice(0, 4096);
  return out;
}

/** Wire resources as the compact Resources of a Task spec (cpus, mem, disk, gpus, ports). */
export function resourcesFromWire(resources: readonly Resource[]): Resources {
  const out: Resources = {};
  for (const r of resources) {
    if (r.type === "SCALAR" && r.scalar !== undefined) {
      const v = r.scalar.value;
      if (!(v > 0)) continue;
      if (r.name === "cpus" || r.name === "mem" || r.name === "disk")
        out[r.name] = Math.round(((out[r.name] ?? 0) + v) * 1000) / 1000;
      else if (r.name === "gpus") out.gpus = (out.gpus ?? 0) + Math.round(v);
    } else if (r.type === "RANGES" && r.name === "ports" && r.ranges !== undefined) {
      out.ports = [...(out.ports ?? []), ...r.ranges.range.map((x) => ({ begin: x.begin, end: x.end }))];
    }
  }
  return out;
}

/** Compact Resources back to wire resources (the read-only calls). */
export function resourcesToWire(resources: Resources | undefined, role?: string): Resource[] {
  const out: Resource[] = [];
  const withRole = (r: Resource): Resource => (role === undefined ? r : { ...r, allocation_info: { role } });
  for (const name of ["cpus", "mem", "disk", "gpus"] as const) {
    const v = resources?.[name];
    if (v !== undefined) out.push(withRole({ name, type: "SCALAR", scalar: { value: v } }));
  }
  if (resources?.ports !== undefined && resources.ports.length > 0)
    out.push(
      withRole({
        name: "ports",
        type: "RANGES",
        ranges: { range: resources.ports.map((p) => ({ begin: p.begin, end: p.end })) },
      }),
    );
  return out;
}

/** The Task object name for a framework's task: `<framework object>-<task id>`, as a DNS label. */
export function taskObjectName(frameworkObject: string, taskId: string): string {
  return dnsLabelFor(`${frameworkObject}-${taskId}`.toLowerCase().replace(/[^a-z0-9-]/g, "-")).replace(
    /^-+|-+$/g,
    "",
  );
}

export interface TaskFromInfoInput {
  frameworkObject: string;
  task: TaskInfo;
  /** The ACCEPT's offers, when the task is to consume them itself. */
  offerIds?: readonly string[] | undefined;
  role?: string | undefined;
  /** Pin an operator-placed task to the offers' agent (a Marathon CLUSTER constraint). */
  pin?: { field: string; value: string } | undefined;
}

/** The Task spec for a TaskInfo of ACCEPT/LAUNCH. */
export function taskSpecFromInfo(input: TaskFromInfoInput): TaskSpec {
  const { task } = input;
  const spec: TaskSpec = {
    frameworkName: input.frameworkObject,
    taskId: task.task_id.value,
    resources: resourcesFromWire(task.resources),
  };
  if (task.name !== "") spec.name = task.name.slice(0, 256);
  if (input.offerIds !== undefined && input.offerIds.length > 0) spec.offerIds = [...new Set(input.offerIds)];
  if (task.agent_id.value !== "") spec.agentId = task.agent_id.value;
  if (input.role !== undefined) spec.role = input.role;
  if (input.pin !== undefined)
    spec.constraints = [{ field: input.pin.field, operator: "CLUSTER", value: input.pin.value }];
  const c = task.command;
  if (c !== undefined) {
    const command: NonNullable<TaskSpec["command"]> = { shell: c.shell };
    if (c.value !== undefined) command.value = c.value;
    if (c.arguments.length > 0) command.arguments = [...c.arguments];
    const env = (c.environment?.variables ?? [])
      .filter((v) => v.name !== "" && v.type !== "SECRET")
      .map((v) => ({ name: v.name, value: v.value ?? "" }));
    if (env.length > 0) command.environment = [...new Map(env.map((e) => [e.name, e])).values()];
    if (c.uris.length > 0)
      command.uris = c.uris.map((u) => {
        const uri: NonNullable<NonNullable<TaskSpec["command"]>["uris"]>[number] = {
          value: u.value,
          extract: u.extract,
        };
        if (u.executable !== undefined) uri.executable = u.executable;
        if (u.cache !== undefined) uri.cache = u.cache;
        if (u.output_file !== undefined) uri.outputFile = u.output_file;
        return uri;
      });
    if (c.user !== undefined) command.user = c.user;
    if (command.shell && command.value === undefined) command.value = "";
    spec.command = command;
  }
  const k = task.container;
  if (k !== undefined) {
    const image = k.docker?.image ?? k.mesos?.image?.docker?.name;
    const container: NonNullable<TaskSpec["container"]> = { type: k.type };
    if (image !== undefined && image !== "") container.image = image;
    if (k.docker?.network !== undefined) container.network = k.docker.network;
    if (k.docker?.force_pull_image !== undefined) container.forcePullImage = k.docker.force_pull_image;
    if (k.hostname !== undefined) container.hostname = k.hostname;
    if (k.volumes.length > 0)
      container.volumes = k.volumes.map((v) => ({
        containerPath: v.container_path,
        mode: v.mode ?? "RW",
        ...(v.host_path === undefined ? {} : { hostPath: v.host_path }),
      }));
    const ports = (k.docker?.port_mappings ?? []).map((p) => ({
      containerPort: p.container_port,
      hostPort: p.host_port,
      protocol: (p.protocol?.toUpperCase() === "UDP" ? "UDP" : "TCP") as "TCP" | "UDP",
    }));
    if (ports.length > 0) container.ports = ports;
    spec.container = container;
  }
  const labels = labelsFromWire(task.labels?.labels);
  if (labels !== undefined) spec.labels = labels;
  const grace = task.kill_policy?.grace_period?.nanoseconds;
  if (grace !== undefined)
    spec.killPolicy = { gracePeriodSeconds: Math.min(86400, Math.max(0, grace / 1e9)) };
  return spec;
}

/** The TaskID of a Task object. */
export const taskIdOfObject = (t: TaskObject): string => t.spec.taskId ?? t.metadata.name ?? "";

/** One entry of Task.status.updates as the TaskStatus of an UPDATE event. */
export function wireStatus(t: TaskObject, u: TaskStatusUpdate): TaskStatus {
  const status: TaskStatus = {
    task_id: { value: taskIdOfObject(t) },
    state: u.state,
    timestamp: Date.parse(u.timestamp) / 1000,
  };
  if (u.source !== undefined) status.source = u.source;
  if (u.reason !== undefined) status.reason = u.reason;
  if (u.message !== undefined) status.message = u.message;
  if (u.healthy !== undefined) status.healthy = u.healthy;
  if (u.unreachableTime !== undefined)
    status.unreachable_time = timeInfoFromSeconds(Date.parse(u.unreachableTime) / 1000);
  const agentId = t.status?.agentId ?? t.spec.agentId;
  if (agentId !== undefined) status.agent_id = { value: agentId };
  if (u.uuid !== undefined) status.uuid = uuidTextToBase64(u.uuid);
  return status;
}

/** Updates of a Task not yet delivered: what UPDATE events the stream owes the framework. */
export interface PendingUpdates {
  /** Reliable (uuid) updates not acknowledged, oldest first: the retrier's queue for the task. */
  reliable: TaskStatus[];
  /** Master updates (no uuid) not sent before (keys of `sent` leave them out). */
  master: { key: string; status: TaskStatus }[];
}

/** A master update's identity (it has no uuid): its position, state and time. */
export const masterUpdateKey = (t: TaskObject, u: TaskStatusUpdate): string =>
  `${t.metadata.uid ?? t.metadata.name}/${u.state}/${u.timestamp}/${u.reason ?? ""}`;

export function pendingUpdates(t: TaskObject, sentMaster: ReadonlySet<string>): PendingUpdates {
  const reliable: TaskStatus[] = [];
  const master: { key: string; status: TaskStatus }[] = [];
  for (const u of t.status?.updates ?? []) {
    if (u.uuid !== undefined) {
      if (!u.acknowledged) reliable.push(wireStatus(t, u));
      continue;
    }
    // TASK_STAGING is the history's record of the launch; Mesos never sends it as an update.
    if (u.state === "TASK_STAGING") continue;
    const key = masterUpdateKey(t, u);
    if (!sentMaster.has(key)) master.push({ key, status: wireStatus(t, u) });
  }
  return { reliable, master };
}

/** A Task object as the Mesos Task of GET_STATE and /master/state. */
export function wireTask(t: TaskObject, frameworkId: string): Task {
  const statuses = (t.status?.updates ?? []).map((u) => wireStatus(t, u));
  const state = t.status?.state ?? "TASK_STAGING";
  // Mesos's status_update_state is the state of the latest update forwarded to the master: the
  // head of the task's reliable stream while it awaits acknowledgement (later ones wait behind
  // it), else the latest state. A sent but unacknowledged TASK_RUNNING is therefore RUNNING — what
  // explicit reconciliation must answer, never the older STAGING.
  const forwarded = (t.status?.updates ?? []).find((u) => u.uuid !== undefined && !u.acknowledged);
  const out: Task = {
    name: t.spec.name ?? t.metadata.name ?? "",
    task_id: { value: taskIdOfObject(t) },
    framework_id: { value: frameworkId },
    agent_id: { value: t.status?.agentId ?? t.spec.agentId ?? "" },
    state,
    resources: resourcesToWire(t.spec.resources, t.status?.role),
    statuses,
    status_update_state: forwarded?.state ?? state,
  };
  if (t.spec.labels !== undefined)
    out.labels = { labels: Object.entries(t.spec.labels).map(([key, value]) => ({ key, value })) };
  return out;
}

/** Whether a Task is completed in the Mesos sense: terminal and its terminal update acknowledged. */
/** On a partitioned agent: TASK_UNREACHABLE, or TASK_LOST for a partition (it may come back). */
export const isUnreachableTask = (t: TaskObject): boolean =>
  t.status?.state === "TASK_UNREACHABLE" || isLostToPartition(t.status);

export function isCompletedTask(t: TaskObject): boolean {
  const state = t.status?.state;
  if (state === undefined || !isTerminalTaskState(state)) return false;
  const last = [...(t.status?.updates ?? [])].reverse().find((u) => u.state === state);
  return last === undefined || last.uuid === undefined || last.acknowledged;
}
