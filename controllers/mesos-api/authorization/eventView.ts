// Which operator-stream events a subscriber may see (Mesos's Subscriber::send): framework events
// by view_frameworks on the framework's user, task events by view_frameworks and view_tasks on
// the task's user (else its framework's); agent events always. Users are learnt from the
// subscription's snapshot and from the events themselves, since TASK_UPDATED names only ids.
import type { MasterSnapshot } from "../backend.ts";
import type { ClusterEvent } from "../operator/event.ts";
import type { Approver } from "./aclsFile.ts";

export class EventView {
  private readonly frameworkUsers = new Map<string, string>();
  /** Task id → the user it runs as, when it names one. */
  private readonly taskUsers = new Map<string, string>();

  constructor(
    /** Replaced as the ACLs file changes. */
    public approve: Approver,
    private readonly principal: string | undefined,
    snapshot: MasterSnapshot,
  ) {
    for (const f of [...snapshot.frameworks, ...snapshot.completedFrameworks])
      this.frameworkUsers.set(f.framework_info.id?.value ?? "", f.framework_info.user);
    for (const t of [...snapshot.tasks, ...snapshot.unreachableTasks, ...snapshot.completedTasks])
      if (t.user !== undefined) this.taskUsers.set(taskKey(t.framework_id.value, t.task_id.value), t.user);
  }

  visible(event: ClusterEvent): boolean {
    switch (event.type) {
      case "FRAMEWORK_ADDED":
      case "FRAMEWORK_UPDATED": {
        const info = (event.type === "FRAMEWORK_ADDED" ? event.framework_added : event.framework_updated)
          .framework.framework_info;
        this.frameworkUsers.set(info.id?.value ?? "", info.user);
        return this.frameworkVisible(info.id?.value ?? "");
      }
      case "FRAMEWORK_REMOVED":
        return this.approve({
          acl: "view_frameworks",
          principal: this.principal,
          user: event.framework_removed.framework_info.user,
        });
      case "TASK_ADDED": {
        const task = event.task_added.task;
        if (task.user !== undefined)
          this.taskUsers.set(taskKey(task.framework_id.value, task.task_id.value), task.user);
        return this.taskVisible(task.framework_id.value, task.task_id.value);
      }
      case "TASK_UPDATED":
        return this.taskVisible(
          event.task_updated.framework_id.value,
          event.task_updated.status.task_id.value,
        );
      default:
        return true;
    }
  }

  private frameworkVisible(frameworkId: string): boolean {
    const user = this.frameworkUsers.get(frameworkId);
    return user !== undefined && this.approve({ acl: "view_frameworks", principal: this.principal, user });
  }

  private taskVisible(frameworkId: string, taskId: string): boolean {
    if (!this.frameworkVisible(frameworkId)) return false;
    const user =
      this.taskUsers.get(taskKey(frameworkId, taskId)) ?? this.frameworkUsers.get(frameworkId) ?? "";
    return this.approve({ acl: "view_tasks", principal: this.principal, user });
  }
}

const taskKey = (frameworkId: string, taskId: string) => `${frameworkId}\u0000${taskId}`;
