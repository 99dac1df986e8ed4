// Reliable delivery of status updates (semantics.md §4.12), as a Mesos agent's status update
// manager does it, for the state side to use:
// - an update with a uuid joins its task's queue; only the head is outstanding; it is sent, then
//   re-sent after 10 s, 20 s, 40 s … capped at 10 min, until the scheduler ACKNOWLEDGEs that
//   uuid; then the next one is sent at once;
// - an update without a uuid (master-generated: invalid offers, reconciliation, agent loss) is
//   sent once and never retried;
// - when a framework re-subscribes, `resume` re-sends every head at once (as an agent does when
//   the master tells it the framework is back) instead of waiting out a long backoff.
// Sending goes through `send`, which drops the update while the framework is disconnected.
// The queue is generic (`ReliableUpdates`): operation status updates with a uuid are retried the
// same way, one queue per operation (scheduler/operationStatusUpdates.ts).
import type { TaskStatus } from "../messages/taskStatus.ts";

export interface TimeoutTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMEOUT_TIMERS: TimeoutTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export const INITIAL_RETRY_MS = 10_000;
export const MAX_RETRY_MS = 600_000;

export interface StatusUpdateRetrierOptions {
  send: (frameworkId: string, status: TaskStatus) => void;
  timers?: TimeoutTimers | undefined;
  initialRetryMs?: number | undefined;
  maxRetryMs?: number | undefined;
}

export interface ReliableUpdatesOptions<T> {
  send: (frameworkId: string, update: T) => void;
  /** What the update is about (a task id, an operation id): one queue each. */
  subjectOf: (update: T) => string;
  /** The update's uuid (base64); none: sent once, never retried. */
  uuidOf: (update: T) => string | undefined;
  timers?: TimeoutTimers | undefined;
  initialRetryMs?: number | undefined;
  maxRetryMs?: number | undefined;
}

interface UpdateQueue<T> {
  frameworkId: string;
  updates: T[];
  retryMs: number;
  timer: unknown;
}

export class ReliableUpdates<T> {
  private readonly queues = new Map<string, UpdateQueue<T>>();
  private readonly timers: TimeoutTimers;
  private readonly initialRetryMs: number;
  private readonly maxRetryMs: number;

  constructor(private readonly options: ReliableUpdatesOptions<T>) {
    this.timers = options.timers ?? REAL_TIMEOUT_TIMERS;
    this.initialRetryMs = options.initialRetryMs ?? INITIAL_RETRY_MS;
    this.maxRetryMs = options.maxRetryMs ?? MAX_RETRY_MS;
  }

  enqueue(frameworkId: string, update: T): void {
    if (this.options.uuidOf(update) === undefined) {
      this.options.send(frameworkId, update);
      return;
    }
    const key = queueKey(frameworkId, this.options.subjectOf(update));
    let queue = this.queues.get(key);
    if (queue === undefined) {
      queue = { frameworkId, updates: [], retryMs: this.initialRetryMs, timer: undefined };
      this.queues.set(key, queue);
    }
    queue.updates.push(update);
    if (queue.updates.length === 1) this.sendHead(key, queue);
  }

  /** Acknowledge the head of a subject's queue; false when `uuid` is not the outstanding update. */
  acknowledge(frameworkId: string, subject: string, uuid: string): boolean {
    const key = queueKey(frameworkId, subject);
    const queue = this.queues.get(key);
    const head = queue?.updates[0];
    if (queue === undefined || head === undefined || !sameUuid(this.options.uuidOf(head), uuid)) return false;
    this.stopTimer(queue);
    queue.updates.shift();
    queue.retryMs = this.initialRetryMs;
    if (queue.updates.length === 0) this.queues.delete(key);
    else this.sendHead(key, queue);
    return true;
  }

  /** Re-send the outstanding update of each of the framework's tasks now. */
  resume(frameworkId: string): void {
    for (const [key, queue] of this.queues) {
      if (queue.frameworkId !== frameworkId) continue;
      this.stopTimer(queue);
      queue.retryMs = this.initialRetryMs;
      this.sendHead(key, queue);
    }
  }

  /** Drop all of a framework's pending updates (it was removed). */
  forget(frameworkId: string): void {
    for (const [key, queue] of this.queues) {
      if (queue.frameworkId !== frameworkId) continue;
      this.stopTimer(queue);
      this.queues.delete(key);
    }
  }

  /** Drop a subject's pending updates (it was replaced). */
  discard(frameworkId: string, subject: string): void {
    const key = queueKey(frameworkId, subject);
    const queue = this.queues.get(key);
    if (queue === undefined) return;
    this.stopTimer(queue);
    this.queues.delete(key);
  }

  /** The updates not yet acknowledged for a subject (task, operation), head first. */
  pending(frameworkId: string, subject: string): readonly T[] {
    return this.queues.get(queueKey(frameworkId, subject))?.updates ?? [];
  }

  private sendHead(key: string, queue: UpdateQueue<T>): void {
    const head = queue.updates[0];
    if (head === undefined) return;
    this.options.send(queue.frameworkId, head);
    queue.timer = this.timers.setTimeout(() => {
      queue.timer = undefined;
      if (this.queues.get(key) !== queue) return;
      // Sent at 0, then +10 s, +20 s, +40 s … capped at +10 min.
      queue.retryMs = Math.min(queue.retryMs * 2, this.maxRetryMs);
      this.sendHead(key, queue);
    }, queue.retryMs);
  }

  private stopTimer(queue: UpdateQueue<T>): void {
    if (queue.timer !== undefined) this.timers.clearTimeout(queue.timer);
    queue.timer = undefined;
  }
}

/** Task status updates, one queue per task. */
export class StatusUpdateRetrier extends ReliableUpdates<TaskStatus> {
  constructor(options: StatusUpdateRetrierOptions) {
    super({ ...options, subjectOf: (s) => s.task_id.value, uuidOf: (s) => s.uuid });
  }
}

function queueKey(frameworkId: string, taskId: string): string {
  return `${frameworkId}\u0000${taskId}`;
}

/** Compare base64 uuids by their bytes (padding or not). */
export function sameUuid(a: string | undefined, b: string): boolean {
  return a !== undefined && Buffer.from(a, "base64").equals(Buffer.from(b, "base64"));
}
