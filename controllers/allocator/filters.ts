// Refused-resources filters (semantics.md §4.5). DECLINE, or the unused part of an ACCEPT, keeps
// the refused resources from being offered again to the same (framework, role) on that agent for
// `refuse_seconds` — but only while a new offer would be a subset of what was refused. A filter
// lives at least max(allocation interval, refuse_seconds) and at least one allocation cycle.
import type { AgentState } from "./agents.ts";
import { MinHeap } from "./minHeap.ts";
import type { Resources } from "./resources.ts";
import type { Client, OfferFilter } from "./state.ts";

export const DEFAULT_REFUSE_SECONDS = 5;
const MAX_REFUSE_SECONDS = 365 * 24 * 3600;

/** refuse_seconds as Mesos reads it: absent, negative or invalid → 5 s; above 365 days → 365 days. */
export function refuseMillis(refuseSeconds: number | undefined): number {
  if (refuseSeconds === undefined || Number.isNaN(refuseSeconds) || refuseSeconds < 0)
    return DEFAULT_REFUSE_SECONDS * 1000;
  if (refuseSeconds > MAX_REFUSE_SECONDS) return MAX_REFUSE_SECONDS * 1000;
  return refuseSeconds * 1000;
}

export class FilterStore {
  private readonly deadlines = new MinHeap<OfferFilter>((f) => f.expiresAt);
  private live = 0;

  constructor(private readonly allocationIntervalMs: number) {}

  get size(): number {
    return this.live;
  }

  /** Install a filter for `refused` (nothing for refuse_seconds = 0). */
  install(
    client: Client,
    agent: AgentState,
    refused: Resources,
    refuseSeconds: number | undefined,
    now: number,
    cycle: number,
  ): void {
    const ms = refuseMillis(refuseSeconds);
    if (ms === 0 || refused.isEmpty) return;
    const filter: OfferFilter = {
      client,
      agent,
      refused,
      expiresAt: now + Math.max(this.allocationIntervalMs, ms),
      installedCycle: cycle,
      coverEpoch: -1,
      removed: false,
    };
    if (agent.filters === null) agent.filters = new Map();
    const list = agent.filters.get(client);
    if (list === undefined) agent.filters.set(client, [filter]);
    else list.push(filter);
    client.filters.add(filter);
    this.deadlines.push(filter);
    this.live++;
  }

  /**
   * Does a filter keep `offer` from `client` on `agent`? `untrimmed` is everything the agent could
   * give the client before quota trimming; `offer` ⊆ `untrimmed`. Filters due for expiry are left
   * in place until `expire` runs at the start of a cycle (the asynchronous expiry of Mesos).
   */
  isFiltered(client: Client, agent: AgentState, untrimmed: Resources, offer: Resources): boolean {
    const list = agent.filters?.get(client);
    if (list === undefined) return false;
    for (const f of list) {
      // Fast path: the filter covered all of it and the agent has not grown since.
      if (f.coverEpoch === agent.epoch) return true;
      if (f.refused.contains(untrimmed)) {
        f.coverEpoch = agent.epoch;
        return true;
      }
      if (offer !== untrimmed && f.refused.contains(offer)) return true;
    }
    return false;
  }

  /** Remove filters whose time is up and that have survived at least one cycle. */
  expire(now: number, cycle: number): void {
    const waiting: OfferFilter[] = [];
    for (let f = this.deadlines.peek(); f !== undefined && f.expiresAt <= now; f = this.deadlines.peek()) {
      this.deadlines.pop();
      if (f.removed) continue;
      if (f.installedCycle >= cycle) waiting.push(f);
      else this.remove(f);
    }
    for (const f of waiting) this.deadlines.push(f);
  }

  remove(f: OfferFilter): void {
    if (f.removed) return;
    f.removed = true;
    this.live--;
    f.client.filters.delete(f);
    const map = f.agent.filters;
    const list = map?.get(f.client);
    if (map === null || list === undefined) return;
    const i = list.indexOf(f);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) map.delete(f.client);
    if (map.size === 0) f.agent.filters = null;
  }

  clearClient(client: Client): void {
    for (const f of [...client.filters]) this.remove(f);
  }

  clearAgent(agent: AgentState): void {
    if (agent.filters === null) return;
    for (const list of [...agent.filters.values()]) for (const f of [...list]) this.remove(f);
  }
}
