// Timers that only move when a test says so: both the interval timers of the streams
// (heartbeats) and the timeout timers of the status-update retrier and the in-memory backend.
import type { IntervalTimers } from "../http/recordIoStream.ts";
import type { TimeoutTimers } from "../scheduler/statusUpdateRetrier.ts";

interface Scheduled {
  id: number;
  due: number;
  every: number | undefined;
  callback: () => void;
}

export class ManualTimers implements IntervalTimers, TimeoutTimers {
  private time = 0;
  private nextId = 1;
  private readonly scheduled = new Map<number, Scheduled>();

  get now(): number {
    return this.time;
  }

  /** How many timers are pending. */
  get pending(): number {
    return this.scheduled.size;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    return this.add(callback, ms, undefined);
  }

  clearTimeout(handle: unknown): void {
    this.scheduled.delete(handle as number);
  }

  setInterval(callback: () => void, ms: number): unknown {
    return this.add(callback, ms, Math.max(1, ms));
  }

  clearInterval(handle: unknown): void {
    this.scheduled.delete(handle as number);
  }

  /** Move time forward by `ms`, running every timer that falls due, in order. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      let next: Scheduled | undefined;
      for (const s of this.scheduled.values())
        if (s.due <= target && (next === undefined || s.due < next.due)) next = s;
      if (next === undefined) break;
      this.time = next.due;
      if (next.every === undefined) this.scheduled.delete(next.id);
      else next.due += next.every;
      next.callback();
    }
    this.time = target;
  }

  private add(callback: () => void, ms: number, every: number | undefined): number {
    const id = this.nextId++;
    this.scheduled.set(id, { id, due: this.time + Math.max(0, ms), every, callback });
    return id;
  }
}
