// Which Mesos-API frameworks have a scheduler subscribed to this leader right now. A subscription
// is an HTTP stream into this process, so the fact itself can only live here; what follows from it
// is persisted by the framework reconciler: the Connected condition (whose transition time starts
// the failover timeout), the phase, and a teardown when the timeout passes — so a crash or a change
// of leader neither loses nor restarts the count.

/** What this leader knows of a framework's scheduler. */
export type SchedulerConnection =
  /** Subscribed on this leader. */
  | "connected"
  /** Its stream to this leader closed: the failover timeout runs. */
  | "disconnected"
  /** Not seen by this leader (it started leading since): waiting for the scheduler to come back. */
  | "unknown";

export class SchedulerConnections {
  private readonly states = new Map<string, "connected" | "disconnected">();
  private listener: (frameworkId: string) => void = () => {};

  /** Called with the framework ID whenever its connection changes (to wake its reconciler). */
  onChange(listener: (frameworkId: string) => void): void {
    this.listener = listener;
  }

  connected(frameworkId: string): void {
    this.set(frameworkId, "connected");
  }

  disconnected(frameworkId: string): void {
    this.set(frameworkId, "disconnected");
  }

  /** Torn down: nothing more to know. */
  forget(frameworkId: string): void {
    if (this.states.delete(frameworkId)) this.listener(frameworkId);
  }

  state(frameworkId: string): SchedulerConnection {
    return this.states.get(frameworkId) ?? "unknown";
  }

  /** Leadership ended: the streams are gone with it, and the next term starts knowing nothing. */
  clear(): void {
    this.states.clear();
  }

  private set(frameworkId: string, state: "connected" | "disconnected"): void {
    if (this.states.get(frameworkId) === state) return;
    this.states.set(frameworkId, state);
    this.listener(frameworkId);
  }
}

/**
 * The connection inputs of decidePhase/frameworkStatus for a framework: none for kubectl
 * Frameworks (no scheduler to lose); for Mesos-API ones, from this leader's knowledge, and when it
 * has none, from the persisted Connected condition — a failover timeout that was running (reason
 * StreamClosed) keeps running from when the stream closed; otherwise the framework waits for its
 * scheduler to come back.
 */
export function connectionInput(
  schedulerApi: boolean,
  state: SchedulerConnection,
  persisted: { status?: string; reason?: string } | undefined,
): { connected: boolean | undefined; awaitingResubscription: boolean } {
  if (!schedulerApi) return { connected: undefined, awaitingResubscription: false };
  if (state === "connected") return { connected: true, awaitingResubscription: false };
  if (state === "disconnected") return { connected: false, awaitingResubscription: false };
  const timerRunning = persisted?.status === "False" && persisted.reason === "StreamClosed";
  return { connected: false, awaitingResubscription: !timerRunning };
}
