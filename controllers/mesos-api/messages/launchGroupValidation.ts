// LAUNCH_GROUP checks of the Mesos master on the group's executor and tasks, with its messages
// (master/validation.cpp task::group::validate, validateTask, validateExecutor), for the checks
// that apply here. A failure is TASK_ERROR REASON_TASK_GROUP_INVALID for every task of the group.
//
// Only the DEFAULT executor is carried out (the group becomes one pod, one container per task);
// its resources are validated as Mesos does but not held: the pod has no executor container.

import { describeResources, type Resources } from "../../allocator/index.ts";
import type { ExecutorInfo } from "./executorInfo.ts";
import { toAllocatorResources } from "./resourceConversion.ts";
import type { TaskInfo } from "./taskInfo.ts";

/** Mesos's MIN_CPUS and MIN_MEM (master/constants.hpp) for an executor. */
const MIN_CPUS = 0.01;
const MIN_MEM_MB = 32;

/** A TaskInfo's executor compared the way protobuf equality would (JSON of the parsed message). */
const sameExecutor = (a: ExecutorInfo, b: ExecutorInfo): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Why the group cannot be launched, or undefined. `offered` is what the ACCEPT's offers hold at
 * this point (after earlier operations); `role` the offers' allocation role, for the message.
 */
export function launchGroupError(
  executor: ExecutorInfo,
  tasks: readonly TaskInfo[],
  offered: Resources,
  role: string,
): string | undefined {
  for (const t of tasks) {
    if (t.container?.type === "DOCKER")
      return `Task '${t.task_id.value}' is invalid: Docker ContainerInfo is not supported on the task`;
  }
  const id = executor.executor_id.value;
  if (executor.type === undefined) return "'ExecutorInfo.type' must be set";
  if (executor.type === "UNKNOWN") return "Unknown executor type";
  if (executor.container?.type === "DOCKER") return "Docker ContainerInfo is not supported on the executor";
  for (const t of tasks)
    if (t.executor !== undefined && !sameExecutor(t.executor, executor))
      return `The \`ExecutorInfo\` of task '${t.task_id.value}' is different from executor '${id}'`;
  const own = toAllocatorResources(executor.resources);
  const cpus = own.names().includes("cpus") ? own.scalar("cpus") : undefined;
  if (cpus === undefined || cpus < MIN_CPUS)
    return `Executor '${id}' uses less CPUs (${cpus ?? "None"}) than the minimum required (${MIN_CPUS})`;
  const mem = own.names().includes("mem") ? own.scalar("mem") : undefined;
  if (mem === undefined || mem < MIN_MEM_MB)
    return `Executor '${id}' uses less memory (${mem === undefined ? "None" : `${mem}MB`}) than the minimum required (${MIN_MEM_MB}MB)`;
  if (!own.names().includes("disk")) return `Executor '${id}' uses no disk`;
  const total = toAllocatorResources([...tasks.flatMap((t) => t.resources), ...executor.resources]);
  if (!offered.flatten().contains(total.flatten()))
    return `Total resources ${describeResources(total, role)} required by task group and its executor are more than available ${describeResources(offered, role)}`;
  // Checked after Mesos's own checks: what this operator cannot run.
  if (executor.type === "CUSTOM")
    return "Custom executors are not supported by this operator: launch task groups with the DEFAULT executor";
  return undefined;
}
