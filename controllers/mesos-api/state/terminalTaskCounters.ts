// Mesos's `master/tasks_<state>` for terminal states are counters, not gauges (semantics.md §3.5):
// a TASK_LOST that becomes TASK_RUNNING again when its agent's partition heals still counts as
// lost (S-86). Each task counts once per terminal state it reached while this master watched (and
// the states it already had when this master started). Only live tasks are remembered, so memory
// follows the cluster, not its history.
import { isTerminalTaskState, type TaskState } from "../../api/index.ts";

export class TerminalTaskCounters {
  private readonly counted = new Map<string, Set<string>>();
  private readonly totals = new Map<string, number>();

  /** A task (by uid) seen in `state`. */
  observe(uid: string, state: TaskState | undefined): void {
    if (state === undefined || !isTerminalTaskState(state)) return;
    const states = this.counted.get(uid) ?? new Set<string>();
    if (states.has(state)) return;
    states.add(state);
    this.counted.set(uid, states);
    this.totals.set(state, (this.totals.get(state) ?? 0) + 1);
  }

  /** The task object is gone; what it counted stays counted. */
  forget(uid: string): void {
    this.counted.delete(uid);
  }

  count(state: string): number {
    return this.totals.get(state) ?? 0;
  }

  clear(): void {
    this.counted.clear();
    this.totals.clear();
  }
}
