// A task group (LAUNCH_GROUP) is launched whole, on the same offers, once all its members exist
// (taskGroup.size). Members are the framework's Tasks with the same group name.
import type { Task } from "../api/index.ts";

export type TaskGroupState =
  | { kind: "complete"; members: Task[] }
  | { kind: "waiting"; have: number; size: number }
  | { kind: "invalid"; members: Task[]; message: string };

const sameList = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  JSON.stringify([...(a ?? [])].sort()) === JSON.stringify([...(b ?? [])].sort());

/** The group `task` belongs to (a task outside any group is a complete group of one). */
export function taskGroupState(task: Task, frameworkTasks: readonly Task[]): TaskGroupState {
  const group = task.spec.taskGroup;
  if (group === undefined) return { kind: "complete", members: [task] };
  const members = frameworkTasks
    .filter((t) => t.spec.frameworkName === task.spec.frameworkName && t.spec.taskGroup?.name === group.name)
    .sort((a, b) => ((a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1));
  const invalid = (message: string): TaskGroupState => ({ kind: "invalid", members, message });
  if (members.some((m) => m.spec.taskGroup?.size !== group.size))
    return invalid(`Members of task group ${group.name} disagree on its size`);
  if (members.length > group.size)
    return invalid(`Task group ${group.name} has ${members.length} members but size ${group.size}`);
  if (members.some((m) => !sameList(m.spec.offerIds, task.spec.offerIds)))
    return invalid(`Members of task group ${group.name} name different offers`);
  if (members.some((m) => (m.spec.role ?? "") !== (task.spec.role ?? "")))
    return invalid(`Members of task group ${group.name} ask for different roles`);
  if (members.length < group.size) return { kind: "waiting", have: members.length, size: group.size };
  return { kind: "complete", members };
}
