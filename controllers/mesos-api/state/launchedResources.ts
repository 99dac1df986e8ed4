// The resources a task was launched on, as Mesos shows them in GET_TASKS / GET_STATE (the ENDPOINT
// format, reservations included). The Task's spec has the compact form only (no reservations);
// what the ACCEPT gave each task is recorded on its pod, per container (RESOURCES_ANNOTATION),
// which is also what the allocator accounts as held.
import { type ResourceJSON, Resources } from "../../allocator/index.ts";
import type { Task as TaskObject } from "../../api/task.ts";
import type { Pod } from "../../cluster/podSchema.ts";
import { containerNameFor, RESOURCES_ANNOTATION } from "../../task/podIdentity.ts";
import type { Resource } from "../messages/resource.ts";
import { endpointFormat, toWireResources } from "../messages/resourceConversion.ts";

/** What the task's pod records it holds; undefined when there is no pod yet or it records nothing. */
export function launchedResources(task: TaskObject, pod: Pod | undefined): Resources | undefined {
  const text = pod?.metadata?.annotations?.[RESOURCES_ANNOTATION];
  if (text === undefined) return undefined;
  try {
    const list = (JSON.parse(text) as Record<string, ResourceJSON[] | undefined>)[containerNameFor(task)];
    return list === undefined ? undefined : Resources.fromJSON(list);
  } catch {
    // An annotation that does not parse (edited by hand): fall back to the spec.
    return undefined;
  }
}

/**
 * A task's wire resources in the ENDPOINT format: launched ones when the pod records them, else
 * `fromSpec` (the compact spec, unreserved), with `allocation_info` for the task's role.
 */
export function taskEndpointResources(
  task: TaskObject,
  pod: Pod | undefined,
  fromSpec: readonly Resource[],
): Resource[] {
  const launched = launchedResources(task, pod);
  if (launched === undefined) return fromSpec.map(endpointFormat);
  return toWireResources(launched, { refinement: true, allocationRole: task.status?.role }).map(
    endpointFormat,
  );
}
