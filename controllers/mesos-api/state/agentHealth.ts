// Agent registrations, partitions and removals as a Mesos master counts and announces them
// (semantics.md §3.5 agent metrics, §4.10 agent health; scenarios S-84, S-86). An agent is a
// selected node; its health is the node's reachability. A master that marks an agent unreachable
// counts the transition, removes the agent from its registered agents and sends FAILURE{agent_id}
// to its frameworks; an agent that shuts down (the node is deleted) is removed as "unregistered".
// Counters live as long as this master (Mesos resets them on failover too).

/** What this master knows of an agent: registered and healthy, or partitioned (unreachable). */
export type AgentHealth = "registered" | "unreachable";

/** Mesos counter names this module increments. */
export const AGENT_COUNTERS = [
  "master/slave_registrations",
  "master/slave_reregistrations",
  "master/slave_removals",
  "master/slave_removals/reason_registered",
  "master/slave_removals/reason_unhealthy",
  "master/slave_removals/reason_unregistered",
  "master/slave_unreachable_scheduled",
  "master/slave_unreachable_completed",
  "master/slave_unreachable_canceled",
] as const;
export type AgentCounter = (typeof AGENT_COUNTERS)[number];

export interface AgentTransition {
  counters: AgentCounter[];
  /** The frameworks get FAILURE{agent_id}: the master lost the agent. */
  lost: boolean;
}

/** Why a registered agent went: it shut down (node deleted) or its machine was brought DOWN. */
export type AgentRemoval = "unregistered" | "maintenance";

/**
 * The effect of an agent going from `before` to `after` (undefined: this master does not know it,
 * or it is gone, for `removal`). `replaying` is the first sight of an agent when this master
 * starts: it was registered with an earlier master, so nothing is counted or announced.
 */
export function agentTransition(
  before: AgentHealth | undefined,
  after: AgentHealth | undefined,
  replaying: boolean,
  removal: AgentRemoval = "unregistered",
): AgentTransition {
  const none: AgentTransition = { counters: [], lost: false };
  if (before === after || replaying) return none;
  if (before === undefined)
    // A new agent; one first seen partitioned never registered with this master.
    return after === "registered" ? { counters: ["master/slave_registrations"], lost: false } : none;
  if (before === "registered" && after === "unreachable")
    return {
      counters: [
        "master/slave_unreachable_scheduled",
        "master/slave_unreachable_completed",
        "master/slave_removals",
        "master/slave_removals/reason_unhealthy",
      ],
      lost: true,
    };
  if (before === "unreachable" && after === "registered")
    return { counters: ["master/slave_reregistrations"], lost: false };
  // Gone: a registered agent that shuts down unregisters; an unreachable one was already removed.
  // START_MAINTENANCE removes the agent with no reason counted (Master::removeSlave's default).
  if (before === "registered")
    return {
      counters:
        removal === "maintenance"
          ? ["master/slave_removals"]
          : ["master/slave_removals", "master/slave_removals/reason_unregistered"],
      lost: true,
    };
  return none;
}

/** Follows agents' health; counts and reports transitions. */
export class AgentHealthTracker {
  private readonly health = new Map<string, AgentHealth>();
  private readonly counts = new Map<AgentCounter, number>();

  /** Records an agent's health now (undefined: gone); returns whether its frameworks lost it. */
  observe(
    agentId: string,
    after: AgentHealth | undefined,
    replaying = false,
    removal: AgentRemoval = "unregistered",
  ): AgentTransition {
    const before = this.health.get(agentId);
    const t = agentTransition(before, after, replaying, removal);
    if (after === undefined) this.health.delete(agentId);
    else this.health.set(agentId, after);
    for (const c of t.counters) this.counts.set(c, (this.counts.get(c) ?? 0) + 1);
    return t;
  }

  /** Every counter (zeros included, as Mesos reports them) and the unreachable gauge. */
  metrics(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of AGENT_COUNTERS) out[c] = this.counts.get(c) ?? 0;
    out["master/slaves_unreachable"] = this.unreachable().length;
    return out;
  }

  /** Whether this master has seen the agent registered (or partitioned) and not gone since. */
  knows(agentId: string): boolean {
    return this.health.has(agentId);
  }

  /** Whether the agent is registered with this master now (Mesos's `slaves.registered`). */
  isRegistered(agentId: string): boolean {
    return this.health.get(agentId) === "registered";
  }

  /** Agents this master holds as unreachable. */
  unreachable(): string[] {
    return [...this.health].filter(([, h]) => h === "unreachable").map(([id]) => id);
  }

  clear(): void {
    this.health.clear();
    this.counts.clear();
  }
}
