// The run_tasks ACLs on ACCEPT (Master::_accept): each task of a LAUNCH, and every task of a
// LAUNCH_GROUP, must be allowed to run as its user. Refused tasks are taken out of the ACCEPT
// before the state side sees it and answered with TASK_ERROR from the master, as Mesos does; the
// rest of the ACCEPT goes on (their resources are declined with the ACCEPT's filter, like any
// offer resources an ACCEPT leaves unused).
import type { Id } from "../messages/ids.ts";
import type { OfferOperation } from "../messages/offerOperation.ts";
import type { TaskInfo } from "../messages/taskInfo.ts";
import type { Accept } from "../scheduler/call.ts";
import type { Approver, Authorizer } from "./aclsFile.ts";

export interface LaunchingFramework {
  id: string;
  principal: string | undefined;
  /** FrameworkInfo.user, the user of tasks that name none. */
  user: string;
}

export interface LaunchRefusal {
  taskId: string;
  agentId: Id | undefined;
  reason: "REASON_TASK_UNAUTHORIZED" | "REASON_TASK_GROUP_UNAUTHORIZED";
  message: string;
}

/** RUN_TASK's object: the task's command user, else its executor's, else the framework's. */
export function taskUser(task: TaskInfo, framework: LaunchingFramework): string {
  return task.command?.user ?? task.executor?.command?.user ?? framework.user;
}

/** Why a task may not launch (Mesos's text, its "no authorized" included), or undefined. */
function refusal(approve: Approver, task: TaskInfo, framework: LaunchingFramework): string | undefined {
  const user = taskUser(task, framework);
  if (approve({ acl: "run_tasks", principal: framework.principal, user })) return undefined;
  return `Principal '${framework.principal ?? ""}' no authorized to launch task ${task.task_id.value} of framework ${framework.id} under user '${user}'`;
}

/**
 * The ACCEPT without the launches the ACLs refuse, and the refusals to report. Operations other
 * than LAUNCH and LAUNCH_GROUP pass unchanged; a LAUNCH left without tasks is dropped.
 */
export async function authorizeLaunches(
  authorizer: Authorizer | undefined,
  accept: Accept,
  framework: LaunchingFramework,
): Promise<{ accept: Accept; refusals: LaunchRefusal[] }> {
  if (authorizer === undefined) return { accept, refusals: [] };
  const approve = await authorizer.approver();
  const refusals: LaunchRefusal[] = [];
  const operations: OfferOperation[] = [];
  for (const operation of accept.operations) {
    if (operation.type === "LAUNCH" && operation.launch !== undefined) {
      const allowed: TaskInfo[] = [];
      for (const task of operation.launch.task_infos) {
        const message = refusal(approve, task, framework);
        if (message === undefined) allowed.push(task);
        else
          refusals.push({
            taskId: task.task_id.value,
            agentId: task.agent_id,
            reason: "REASON_TASK_UNAUTHORIZED",
            message,
          });
      }
      if (allowed.length > 0) operations.push({ ...operation, launch: { task_infos: allowed } });
      continue;
    }
    if (operation.type === "LAUNCH_GROUP" && operation.launch_group !== undefined) {
      // A group launches whole or not at all: one refused task refuses every task of it.
      const tasks = operation.launch_group.task_group.tasks;
      let message: string | undefined;
      for (const task of tasks) {
        message = refusal(approve, task, framework);
        if (message !== undefined) break;
      }
      if (message === undefined) operations.push(operation);
      else
        for (const task of tasks)
          refusals.push({
            taskId: task.task_id.value,
            agentId: task.agent_id,
            reason: "REASON_TASK_GROUP_UNAUTHORIZED",
            message,
          });
      continue;
    }
    operations.push(operation);
  }
  return refusals.length === 0 ? { accept, refusals } : { accept: { ...accept, operations }, refusals };
}
