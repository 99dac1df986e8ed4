// The pod that runs a Task (LAUNCH) or a task group (LAUNCH_GROUP: one pod, one container per
// task). The manifest depends only on its inputs, so a create retried after a crash is the same
// pod; it is created unbound (our schedulerName keeps kube-scheduler away) and bound to the chosen
// node through pods/binding.
import type { V1Container, V1EnvVar, V1OwnerReference, V1Pod, V1Volume } from "@kubernetes/client-node";
import { fromCompactResources } from "../allocation/resourceShapes.ts";
import type { Resources } from "../allocator/index.ts";
import { API_VERSION, type Task } from "../api/index.ts";
import { containerResources } from "./containerResources.ts";
import { livenessProbe, readinessProbe } from "./healthProbes.ts";
import { isDnsLabel, isLabelValue, isQualifiedName, labelValueFor } from "./kubernetesNames.ts";
import {
  AGENT_ID_ANNOTATION,
  containerNameFor,
  FRAMEWORK_ID_ANNOTATION,
  FRAMEWORK_ID_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  NODE_NAME_ANNOTATION,
  OFFER_IDS_ANNOTATION,
  RESERVED_LABEL_PREFIX,
  RESOURCES_ANNOTATION,
  ROLE_ANNOTATION,
  SCHEDULER_NAME,
  TASK_GROUP_LABEL,
  TASK_ID_LABEL,
  TASK_IDS_ANNOTATION,
  taskIdOf,
} from "./podIdentity.ts";

/** Where the framework (or the operator's placement) put the task. */
export interface PodPlacement {
  podName: string;
  nodeName: string;
  agentId: string;
  role: string;
  offerIds: readonly string[];
}

export interface PodForTaskOptions {
  /** Image for tasks that name none (a Mesos command task runs in the agent's own filesystem). */
  defaultImage: string;
}

export interface PodForTaskInput {
  /** One Task, or every member of a task group (in any order). */
  tasks: readonly Task[];
  frameworkId: string;
  placement: PodPlacement;
  /** What each task holds, by Task name, as the allocator launched it; default: its spec resources. */
  heldResources?: ReadonlyMap<string, Resources> | undefined;
}

/** At most this many PORTn variables (a task may hold a wide port range). */
const MAX_PORT_VARIABLES = 64;

function portNumbers(task: Task): number[] {
  const out: number[] = [];
  for (const r of task.spec.resources.ports ?? [])
    for (let p = r.begin; p <= r.end && out.length < MAX_PORT_VARIABLES; p++) out.push(p);
  return out;
}

/** What Mesos executors and Marathon put in a task's environment, then the task's own variables. */
function environment(task: Task, frameworkId: string, agentId: string): V1EnvVar[] {
  const own = task.spec.command?.environment ?? [];
  const ownNames = new Set(own.map((v) => v.name));
  const ports = portNumbers(task);
  const provided: V1EnvVar[] = [
    { name: "MESOS_TASK_ID", value: taskIdOf(task) },
    { name: "MESOS_FRAMEWORK_ID", value: frameworkId },
    { name: "MESOS_AGENT_ID", value: agentId },
    { name: "HOST", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
    ...ports.map((p, i) => ({ name: `PORT${i}`, value: String(p) })),
  ];
  if (ports.length > 0) provided.push({ name: "PORTS", value: ports.join(",") });
  const env = provided.filter((v) => !ownNames.has(v.name));
  for (const v of own) {
    if (v.secret !== undefined)
      env.push({ name: v.name, valueFrom: { secretKeyRef: { name: v.secret.name, key: v.secret.key } } });
    else env.push({ name: v.name, value: v.value ?? "" });
  }
  return env;
}

/** CommandInfo → command/args: shell runs `/bin/sh -c value`; otherwise value is the executable. */
function commandOf(task: Task): Pick<V1Container, "command" | "args"> {
  const c = task.spec.command;
  if (c === undefined) return {};
  if (c.shell) return { command: ["/bin/sh", "-c", c.value ?? ""] };
  const out: Pick<V1Container, "command" | "args"> = {};
  if (c.value !== undefined) out.command = [c.value];
  if (c.arguments !== undefined && c.arguments.length > 0) out.args = [...c.arguments];
  return out;
}

function containerFor(
  task: Task,
  index: number,
  input: PodForTaskInput,
  options: PodForTaskOptions,
): { container: V1Container; volumes: V1Volume[] } {
  const spec = task.spec;
  const container: V1Container = {
    name: containerNameFor(task),
    image: spec.container?.image ?? options.defaultImage,
    ...commandOf(task),
    env: environment(task, input.frameworkId, input.placement.agentId),
    resources: containerResources(spec.resources),
  };
  if (spec.container?.forcePullImage === true) container.imagePullPolicy = "Always";
  const ports = spec.container?.ports ?? [];
  if (ports.length > 0)
    container.ports = ports.map((p) => ({
      containerPort: p.containerPort,
      protocol: p.protocol,
      ...(p.hostPort !== undefined ? { hostPort: p.hostPort } : {}),
      ...(p.name !== undefined ? { name: p.name } : {}),
    }));
  if (spec.healthCheck !== undefined) {
    container.readinessProbe = readinessProbe(spec.healthCheck);
    const liveness = livenessProbe(spec.healthCheck);
    if (liveness !== undefined) container.livenessProbe = liveness;
  }
  const volumes: V1Volume[] = [];
  const mounts = (spec.container?.volumes ?? []).map((v, j) => {
    const name = `c${index}-v${j}`;
    volumes.push(
      v.hostPath !== undefined ? { name, hostPath: { path: v.hostPath } } : { name, emptyDir: {} },
    );
    return { name, mountPath: v.containerPath, readOnly: v.mode === "RO" };
  });
  if (mounts.length > 0) container.volumeMounts = mounts;
  return { container, volumes };
}

/**
 * Mesos labels with valid Kubernetes keys become pod annotations, and also pod labels when the
 * value is a valid label value (the kwok simulation reads both). Our own prefix is never copied.
 */
function copiedTaskLabels(tasks: readonly Task[]): {
  labels: Record<string, string>;
  annotations: Record<string, string>;
} {
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  for (const task of tasks)
    for (const [key, value] of Object.entries(task.spec.labels ?? {})) {
      if (!isQualifiedName(key) || key.startsWith(RESERVED_LABEL_PREFIX) || key in annotations) continue;
      annotations[key] = value;
      if (isLabelValue(value)) labels[key] = value;
    }
  return { labels, annotations };
}

function ownerReference(task: Task, controller: boolean): V1OwnerReference {
  return {
    apiVersion: API_VERSION,
    kind: "Task",
    name: task.metadata.name ?? "",
    uid: task.metadata.uid ?? "",
    controller,
    blockOwnerDeletion: true,
  };
}

const byName = (a: Task, b: Task): number =>
  (a.metadata.name ?? "") < (b.metadata.name ?? "")
    ? -1
    : (a.metadata.name ?? "") > (b.metadata.name ?? "")
      ? 1
      : 0;

export function podForTask(input: PodForTaskInput, options: PodForTaskOptions): V1Pod {
  if (input.tasks.length === 0) throw new Error("a pod needs at least one task");
  // Sorted, so the manifest does not depend on the order the cache listed the members in.
  const tasks = [...input.tasks].sort(byName);
  const first = tasks[0]!;
  const group = first.spec.taskGroup;
  const { placement } = input;

  const built = tasks.map((t, i) => containerFor(t, i, input, options));
  const copied = copiedTaskLabels(tasks);
  const labels: Record<string, string> = {
    ...copied.labels,
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [FRAMEWORK_ID_LABEL]: labelValueFor(input.frameworkId),
  };
  if (group === undefined) labels[TASK_ID_LABEL] = labelValueFor(taskIdOf(first));
  else labels[TASK_GROUP_LABEL] = group.name;

  const taskIds: Record<string, string> = {};
  const held: Record<string, unknown> = {};
  for (const t of tasks) {
    const container = containerNameFor(t);
    taskIds[container] = taskIdOf(t);
    const resources =
      input.heldResources?.get(t.metadata.name ?? "") ?? fromCompactResources(t.spec.resources);
    held[container] = resources.toJSON();
  }
  const annotations: Record<string, string> = {
    ...copied.annotations,
    [FRAMEWORK_ID_ANNOTATION]: input.frameworkId,
    [TASK_IDS_ANNOTATION]: JSON.stringify(taskIds),
    [NODE_NAME_ANNOTATION]: placement.nodeName,
    [AGENT_ID_ANNOTATION]: placement.agentId,
    [ROLE_ANNOTATION]: placement.role,
    [OFFER_IDS_ANNOTATION]: placement.offerIds.join(","),
    [RESOURCES_ANNOTATION]: JSON.stringify(held),
  };

  const pod: V1Pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: placement.podName,
      labels,
      annotations,
      ownerReferences: tasks.map((t, i) => ownerReference(t, i === 0)),
    },
    spec: {
      schedulerName: SCHEDULER_NAME,
      restartPolicy: "Never",
      // Tasks get no Kubernetes API credentials or service variables unless they ask for them.
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      containers: built.map((b) => b.container),
    },
  };
  if (first.metadata.namespace !== undefined) pod.metadata!.namespace = first.metadata.namespace;
  const spec = pod.spec!;
  const volumes = built.flatMap((b) => b.volumes);
  if (volumes.length > 0) spec.volumes = volumes;
  const graces = tasks.flatMap((t) => (t.spec.killPolicy ? [t.spec.killPolicy.gracePeriodSeconds] : []));
  if (graces.length > 0) spec.terminationGracePeriodSeconds = Math.ceil(Math.max(...graces));
  const deadlines = tasks.flatMap((t) =>
    t.spec.maxCompletionTimeSeconds !== undefined ? [t.spec.maxCompletionTimeSeconds] : [],
  );
  // activeDeadlineSeconds fails the pod with reason DeadlineExceeded → REASON_MAX_COMPLETION_TIME_REACHED.
  if (deadlines.length > 0) spec.activeDeadlineSeconds = Math.max(1, Math.ceil(Math.min(...deadlines)));
  if (tasks.some((t) => t.spec.container?.network === "HOST")) spec.hostNetwork = true;
  const hostname = first.spec.container?.hostname;
  if (group === undefined && hostname !== undefined && isDnsLabel(hostname)) spec.hostname = hostname;
  return pod;
}
