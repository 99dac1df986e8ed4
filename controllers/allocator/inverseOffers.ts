// Maintenance inverse offers (semantics.md §4.9; Mesos HierarchicalAllocatorProcess::
// generateInverseOffers, updateInverseOffer, updateUnavailability). An agent with a scheduled
// unavailability asks every active framework that holds resources there (offered or allocated)
// for them back: one inverse offer per (framework, agent), `resources: []` for the whole agent,
// re-sent each cycle once answered (unless the answer's filter still holds). Answers are advisory:
// ACCEPT or DECLINE is recorded for GET_MAINTENANCE_STATUS and nothing else happens. Pure and
// clock-free like the rest of the allocator: callers pass `now` (ms).
import type { Unavailability } from "./inputModel.ts";

export interface InverseOffer {
  readonly id: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly hostname: string;
  readonly nodeName: string;
  readonly unavailability: Unavailability;
  readonly createdAt: number;
}

export type InverseOfferAnswer = "ACCEPT" | "DECLINE";

/** mesos.allocator.InverseOfferStatus: a framework's last answer for an agent. */
export interface InverseOfferStatus {
  readonly frameworkId: string;
  readonly status: InverseOfferAnswer;
  /** When the answer came (ms). */
  readonly timestamp: number;
}

/** What the generator needs to know of an agent in the cycle. */
export interface MaintenanceCandidate {
  readonly id: string;
  readonly hostname: string;
  readonly nodeName: string;
  /** Frameworks with resources offered or allocated on the agent (repeats allowed). */
  readonly holders: readonly string[];
}

interface AgentMaintenance {
  unavailability: Unavailability;
  /** The one outstanding inverse offer per framework. */
  readonly outstanding: Map<string, InverseOffer>;
  readonly statuses: Map<string, InverseOfferStatus>;
}

/** Filters default to 5 s (Filters.refuse_seconds), are capped at 365 days; 0 installs none. */
const DEFAULT_REFUSE_SECONDS = 5;
const MAX_REFUSE_SECONDS = 365 * 24 * 3600;

export const sameUnavailability = (a: Unavailability | undefined, b: Unavailability | undefined): boolean =>
  a?.start.nanoseconds === b?.start.nanoseconds && a?.duration?.nanoseconds === b?.duration?.nanoseconds;

export class InverseOfferBook {
  private readonly byId = new Map<string, InverseOffer>();
  private readonly agents = new Map<string, AgentMaintenance>();
  /** Inverse-offer filters: framework → agent → until when (ms). */
  private readonly filters = new Map<string, Map<string, number>>();
  private counter = 0;

  constructor(private readonly idPrefix: string) {}

  /** How many agents have maintenance scheduled (a cycle skips the inverse offers when none). */
  get agentsWithMaintenance(): number {
    return this.agents.size;
  }

  unavailabilityOf(agentId: string): Unavailability | undefined {
    return this.agents.get(agentId)?.unavailability;
  }

  /**
   * The agent's unavailability changed (scheduled, moved or cancelled): its outstanding inverse
   * offers are withdrawn (returned, for RESCIND_INVERSE_OFFER), the recorded answers and every
   * framework's inverse-offer filter for it dropped, so frameworks reassess the new window.
   * Returns [] when nothing changed.
   */
  setUnavailability(agentId: string, unavailability: Unavailability | undefined): InverseOffer[] {
    const current = this.agents.get(agentId);
    if (sameUnavailability(current?.unavailability, unavailability)) return [];
    const withdrawn = this.removeAgent(agentId);
    if (unavailability !== undefined)
      this.agents.set(agentId, { unavailability, outstanding: new Map(), statuses: new Map() });
    return withdrawn;
  }

  /** The agent is gone: its inverse offers are withdrawn and its maintenance forgotten. */
  removeAgent(agentId: string): InverseOffer[] {
    const current = this.agents.get(agentId);
    for (const f of this.filters.values()) f.delete(agentId);
    if (current === undefined) return [];
    this.agents.delete(agentId);
    const withdrawn = [...current.outstanding.values()];
    for (const io of withdrawn) this.byId.delete(io.id);
    return withdrawn;
  }

  /**
   * The framework was deactivated (`removed` false) or removed: its outstanding inverse offers and
   * filters go; a removed framework's answers go too.
   */
  forgetFramework(frameworkId: string, removed: boolean): InverseOffer[] {
    this.filters.delete(frameworkId);
    const withdrawn: InverseOffer[] = [];
    for (const m of this.agents.values()) {
      const io = m.outstanding.get(frameworkId);
      if (io !== undefined) {
        m.outstanding.delete(frameworkId);
        this.byId.delete(io.id);
        withdrawn.push(io);
      }
      if (removed) m.statuses.delete(frameworkId);
    }
    return withdrawn;
  }

  /** REVIVE drops the framework's inverse-offer filters. */
  clearFilters(frameworkId: string): void {
    this.filters.delete(frameworkId);
  }

  /**
   * One inverse offer per (active framework holding resources, agent with maintenance) that has
   * none outstanding and no unexpired filter. Visits only the agents with maintenance;
   * `candidate` says which of them are in this cycle (undefined: not in it).
   */
  generate(
    candidate: (agentId: string) => MaintenanceCandidate | undefined,
    isActive: (frameworkId: string) => boolean,
    now: number,
  ): InverseOffer[] {
    const made: InverseOffer[] = [];
    for (const [agentId, m] of this.agents) {
      const agent = candidate(agentId);
      if (agent === undefined) continue;
      for (const frameworkId of new Set(agent.holders)) {
        if (!isActive(frameworkId) || m.outstanding.has(frameworkId)) continue;
        const until = this.filters.get(frameworkId)?.get(agent.id);
        if (until !== undefined && until > now) continue;
        const io: InverseOffer = {
          id: `${this.idPrefix}-I${this.counter++}`,
          frameworkId,
          agentId: agent.id,
          hostname: agent.hostname,
          nodeName: agent.nodeName,
          unavailability: m.unavailability,
          createdAt: now,
        };
        m.outstanding.set(frameworkId, io);
        this.byId.set(io.id, io);
        made.push(io);
      }
    }
    return made;
  }

  /**
   * --offer_timeout for inverse offers (Master::inverseOfferTimeout): those outstanding for
   * `timeoutMs` or longer are withdrawn — no answer recorded, no filter installed — and returned,
   * for RESCIND_INVERSE_OFFER; the next cycle makes the framework a new one if it still holds
   * resources there.
   */
  expire(now: number, timeoutMs: number | undefined): InverseOffer[] {
    if (timeoutMs === undefined) return [];
    const expired: InverseOffer[] = [];
    for (const io of this.byId.values()) {
      if (io.createdAt + timeoutMs > now) continue;
      this.byId.delete(io.id);
      this.agents.get(io.agentId)?.outstanding.delete(io.frameworkId);
      expired.push(io);
    }
    return expired;
  }

  get(id: string): InverseOffer | undefined {
    return this.byId.get(id);
  }

  /** Outstanding inverse offers of a framework, oldest first. */
  outstandingOf(frameworkId: string): InverseOffer[] {
    return [...this.byId.values()].filter((io) => io.frameworkId === frameworkId);
  }

  /**
   * ACCEPT_INVERSE_OFFERS / DECLINE_INVERSE_OFFERS: records the answer for each of the
   * framework's outstanding inverse offers named, with a filter of `refuseSeconds` (default 5).
   * Unknown ids and other frameworks' inverse offers are ignored, as Mesos does. Returns those
   * answered.
   */
  respond(
    frameworkId: string,
    ids: readonly string[],
    answer: InverseOfferAnswer,
    refuseSeconds: number | undefined,
    now: number,
  ): InverseOffer[] {
    const answered: InverseOffer[] = [];
    for (const id of ids) {
      const io = this.byId.get(id);
      if (io === undefined || io.frameworkId !== frameworkId) continue;
      const m = this.agents.get(io.agentId);
      this.byId.delete(id);
      if (m === undefined) continue;
      m.outstanding.delete(frameworkId);
      m.statuses.set(frameworkId, { frameworkId, status: answer, timestamp: now });
      const seconds =
        refuseSeconds === undefined || !Number.isFinite(refuseSeconds) || refuseSeconds < 0
          ? DEFAULT_REFUSE_SECONDS
          : Math.min(refuseSeconds, MAX_REFUSE_SECONDS);
      if (seconds > 0) {
        let f = this.filters.get(frameworkId);
        if (f === undefined) {
          f = new Map();
          this.filters.set(frameworkId, f);
        }
        f.set(io.agentId, now + seconds * 1000);
      }
      answered.push(io);
    }
    return answered;
  }

  /** Answers recorded per agent with maintenance (GET_MAINTENANCE_STATUS). */
  statuses(): Map<string, InverseOfferStatus[]> {
    const out = new Map<string, InverseOfferStatus[]>();
    for (const [agentId, m] of this.agents) out.set(agentId, [...m.statuses.values()]);
    return out;
  }
}
