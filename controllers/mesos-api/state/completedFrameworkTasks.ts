// Tasks are owned by their Framework, so garbage collection deletes a torn-down framework's Task
// objects once the Framework is gone. A Mesos master still lists that framework among the
// completed frameworks with its tasks as completed tasks (S-98, S-102), so the last state of each
// Task deleted while its framework was going is kept here: in memory, as Mesos keeps it, only for
// the frameworks the completed list retains, and at most as many per framework as Mesos keeps.

/** Mesos's default `--max_completed_tasks_per_framework`. */
export const MAX_COMPLETED_TASKS_PER_FRAMEWORK = 1000;

export class CompletedFrameworkTasks<T> {
  /** Per FrameworkID, the last state of each deleted task by task ID, oldest first. */
  private readonly byFramework = new Map<string, Map<string, T>>();

  constructor(private readonly maxPerFramework = MAX_COMPLETED_TASKS_PER_FRAMEWORK) {}

  /** A Task object of a framework that is going or gone was deleted: keep its last state. */
  keep(frameworkId: string, taskId: string, task: T): void {
    if (this.maxPerFramework <= 0) return;
    const tasks = this.byFramework.get(frameworkId) ?? new Map<string, T>();
    tasks.delete(taskId);
    tasks.set(taskId, task);
    // Mesos drops the oldest completed task first (a circular buffer).
    for (const oldest of tasks.keys()) {
      if (tasks.size <= this.maxPerFramework) break;
      tasks.delete(oldest);
    }
    this.byFramework.set(frameworkId, tasks);
  }

  /** The kept tasks of a framework whose IDs are not in `listed` (those still have objects). */
  tasksOf(frameworkId: string, listed: ReadonlySet<string>): T[] {
    const tasks = this.byFramework.get(frameworkId);
    if (tasks === undefined) return [];
    return [...tasks.entries()].filter(([id]) => !listed.has(id)).map(([, t]) => t);
  }

  /** Forgets the frameworks not in `ids` (dropped from the completed list). */
  retainOnly(ids: ReadonlySet<string>): void {
    for (const id of this.byFramework.keys()) if (!ids.has(id)) this.byFramework.delete(id);
  }

  clear(): void {
    this.byFramework.clear();
  }
}
