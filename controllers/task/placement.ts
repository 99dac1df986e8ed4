// Placing a Task that names no offer: choose among its framework's outstanding offers in the task's
// role the ones of one agent that hold what it asks for and that its constraints allow. Offers of
// one agent and role may be combined, as in one Mesos ACCEPT (semantics.md §4.8). Deterministic:
// the same offers and peers give the same choice.

import type { Offer, Resources } from "../allocator/index.ts";
import type { Resources as CompactResources, Constraint } from "../api/index.ts";
import {
  type AgentLocation,
  constraintAllows,
  describeConstraint,
  fieldValue,
} from "./placementConstraints.ts";
import { takeTaskResources } from "./taskResources.ts";

export interface PlacementRequest {
  role: string;
  demand: CompactResources;
  constraints: readonly Constraint[];
  /** Where the task's peers run (non-terminal tasks of the framework with the same name). */
  peers: readonly AgentLocation[];
}

export interface Placement {
  offerIds: string[];
  agentId: string;
  nodeName: string;
  hostname: string;
  /** What the task takes from the offers (with reservations). */
  resources: Resources;
}

/** Why one agent's offers were not used. */
export interface Rejection {
  agentId: string;
  hostname: string;
  /** "resources" when the offers are too small, else the constraint that refused (Marathon text form). */
  because: string;
}

export type PlacementResult =
  | { placed: true; placement: Placement }
  | { placed: false; offersInRole: number; rejections: Rejection[] };

/** Oldest first; offer ids of one allocator end in a counter, so shorter ids are older on ties. */
const byAge = (a: Offer, b: Offer): number =>
  a.createdAt - b.createdAt || a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Peers on the candidate's GROUP_BY groups: lower spreads better. */
function crowding(constraints: readonly Constraint[], where: AgentLocation, peers: readonly AgentLocation[]) {
  let n = 0;
  for (const c of constraints) {
    if (c.operator !== "GROUP_BY") continue;
    const v = fieldValue(c.field, where);
    n += peers.filter((p) => fieldValue(c.field, p) === v).length;
  }
  return n;
}

export function placeTask(request: PlacementRequest, offers: readonly Offer[]): PlacementResult {
  const inRole = offers.filter((o) => o.role === request.role).sort(byAge);
  const byAgent = new Map<string, Offer[]>();
  for (const o of inRole) {
    const list = byAgent.get(o.agentId);
    if (list === undefined) byAgent.set(o.agentId, [o]);
    else list.push(o);
  }
  const rejections: Rejection[] = [];
  const fits: { placement: Placement; crowding: number; oldest: Offer }[] = [];
  for (const [agentId, agentOffers] of byAgent) {
    const first = agentOffers[0]!;
    const where: AgentLocation = { hostname: first.hostname, attributes: first.attributes };
    const refusing = request.constraints.find((c) => !constraintAllows(c, where, request.peers));
    if (refusing !== undefined) {
      rejections.push({ agentId, hostname: first.hostname, because: describeConstraint(refusing) });
      continue;
    }
    // The fewest (oldest) offers of the agent that together hold the demand.
    let taken: Resources | undefined;
    let used = 0;
    let pooled: Resources | undefined;
    while (taken === undefined && used < agentOffers.length) {
      const next = agentOffers[used]!.resources;
      pooled = pooled === undefined ? next : pooled.plus(next);
      used++;
      taken = takeTaskResources(request.demand, pooled);
    }
    if (taken === undefined) {
      rejections.push({ agentId, hostname: first.hostname, because: "resources" });
      continue;
    }
    fits.push({
      placement: {
        offerIds: agentOffers.slice(0, used).map((o) => o.id),
        agentId,
        nodeName: first.nodeName,
        hostname: first.hostname,
        resources: taken,
      },
      crowding: crowding(request.constraints, where, request.peers),
      oldest: first,
    });
  }
  fits.sort((a, b) => a.crowding - b.crowding || byAge(a.oldest, b.oldest));
  const best = fits[0];
  if (best !== undefined) return { placed: true, placement: best.placement };
  return { placed: false, offersInRole: inRole.length, rejections };
}
