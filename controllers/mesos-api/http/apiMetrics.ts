// The metrics the HTTP layer observes itself and adds to the state side's /metrics/snapshot:
// message counters of the calls it dispatches (`master/messages_*`), per-framework call and event
// counters and `subscribed` (`master/frameworks/<name>/<id>/…`, semantics.md §3.5), and the
// number of operator event streams. The state side must not publish these names.
import type { RegisteredFramework } from "../backend.ts";
import { ACKNOWLEDGEMENT_COUNTERS } from "../scheduler/acknowledgementMetrics.ts";

export class ApiMetrics {
  private readonly counters = new Map<string, number>();
  /** frameworkId → metric suffix (`calls/accept`) → count. */
  private readonly perFramework = new Map<string, Map<string, number>>();

  increment(name: string): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + 1);
  }

  /** Start publishing per-framework metrics for a framework (at SUBSCRIBE). */
  frameworkSeen(frameworkId: string): void {
    if (!this.perFramework.has(frameworkId)) this.perFramework.set(frameworkId, new Map());
  }

  frameworkCall(frameworkId: string, callType: string): void {
    this.bump(frameworkId, "calls");
    this.bump(frameworkId, `calls/${callType.toLowerCase()}`);
  }

  /** The operations of an ACCEPT (`operations`, `operations/launch`, ...). */
  frameworkOperations(frameworkId: string, operationTypes: readonly string[]): void {
    for (const type of operationTypes) {
      this.bump(frameworkId, "operations");
      this.bump(frameworkId, `operations/${type.toLowerCase()}`);
    }
  }

  frameworkEvent(frameworkId: string, eventType: string): void {
    this.bump(frameworkId, "events");
    this.bump(frameworkId, `events/${eventType.toLowerCase()}`);
  }

  /**
   * All metrics. Per-framework ones only for frameworks still registered (`registered` answers
   * that); the others are forgotten, as Mesos drops a removed framework's metrics.
   */
  render(
    registered: (frameworkId: string) => RegisteredFramework | undefined,
    connected: (frameworkId: string) => boolean,
    operatorSubscribers: number,
  ): Record<string, number> {
    // Mesos reports its acknowledgement counters from zero; the other message counters appear
    // once counted.
    const out: Record<string, number> = {
      ...Object.fromEntries(ACKNOWLEDGEMENT_COUNTERS.map((name) => [name, 0])),
      ...Object.fromEntries(this.counters),
    };
    out["master/operator_event_stream_subscribers"] = operatorSubscribers;
    for (const [frameworkId, counts] of this.perFramework) {
      const framework = registered(frameworkId);
      if (framework === undefined) {
        this.perFramework.delete(frameworkId);
        continue;
      }
      const prefix = `master/frameworks/${encodeURIComponent(framework.name)}/${frameworkId}`;
      out[`${prefix}/subscribed`] = connected(frameworkId) ? 1 : 0;
      out[`${prefix}/calls`] = 0;
      out[`${prefix}/events`] = 0;
      for (const [suffix, count] of counts) out[`${prefix}/${suffix}`] = count;
    }
    return out;
  }

  private bump(frameworkId: string, suffix: string): void {
    let counts = this.perFramework.get(frameworkId);
    if (counts === undefined) {
      counts = new Map();
      this.perFramework.set(frameworkId, counts);
    }
    counts.set(suffix, (counts.get(suffix) ?? 0) + 1);
  }
}
