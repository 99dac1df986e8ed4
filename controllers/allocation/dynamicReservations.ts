// Dynamic reservations (RESERVE / UNRESERVE, by operators and frameworks) persist in the API server
// as an annotation on their Node: the agent's whole set of dynamically reserved resources, as a
// JSON list of Mesos v1 Resources with their `reservations` stack (docs/decisions.md). The leader's
// allocator holds them in memory during its term; after every change the whole set is written
// again (never a delta), and a new term restores it when the node becomes an agent. So a crash
// between the allocator change and the write loses only the unanswered change, and nothing is
// ever applied twice.

import { Resources } from "../allocator/index.ts";
import { type Resource, ResourceSchema } from "../mesos-api/messages/resource.ts";
import { toAllocatorResources, toWireResources } from "../mesos-api/messages/resourceConversion.ts";

export const DYNAMIC_RESERVATIONS_ANNOTATION = "mesos.operator.dev/dynamic-reservations";

const ResourceListSchema = ResourceSchema.array();

/** The annotation value for an agent's dynamic reservations (entries without one are left out). */
export function encodeDynamicReservations(resources: Resources): string {
  const dynamic = resources.filter((e) => e.reservations.at(-1)?.type === "DYNAMIC");
  return JSON.stringify(toWireResources(dynamic, { refinement: true }));
}

/**
 * The dynamic reservations an annotation value holds. Throws with a readable message when it is
 * not a JSON list of Mesos Resources, or holds a resource without a dynamic reservation on top.
 */
export function decodeDynamicReservations(text: string | undefined): Resources {
  if (text === undefined || text.trim() === "") return Resources.EMPTY;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${DYNAMIC_RESERVATIONS_ANNOTATION} is not JSON: ${(err as Error).message}`);
  }
  const parsed = ResourceListSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `${DYNAMIC_RESERVATIONS_ANNOTATION} is not a list of Mesos Resources: ${parsed.error.message}`,
    );
  const resources = toAllocatorResources(parsed.data as Resource[]);
  if (resources.entries.some((e) => e.reservations.at(-1)?.type !== "DYNAMIC"))
    throw new Error(
      `${DYNAMIC_RESERVATIONS_ANNOTATION} holds a resource without a dynamic reservation on top`,
    );
  return resources;
}

/**
 * The reservations in the order `Allocator.reserve` can apply them to a fresh agent: by depth of
 * their reservation stack, so a refined reservation (`eng` → `eng/web`) comes after its parent.
 */
export function restoreSteps(resources: Resources): Resources[] {
  const byDepth = new Map<number, Resources>();
  for (const e of resources.entries) {
    const depth = e.reservations.length;
    byDepth.set(depth, (byDepth.get(depth) ?? Resources.EMPTY).plus(Resources.fromEntries([e])));
  }
  return [...byDepth.keys()].sort((a, b) => a - b).map((d) => byDepth.get(d)!);
}

/**
 * A node's resources with its persisted dynamic reservations carved out of what they came from
 * (for the agent views of every replica, which read nodes, not the leader's allocator). A
 * reservation the node cannot hold any more is left out, as the allocator drops it.
 */
export function withPersistedReservations(base: Resources, annotation: string | undefined): Resources {
  let reservations: Resources;
  try {
    reservations = decodeDynamicReservations(annotation);
  } catch {
    return base;
  }
  let out = base;
  for (const step of restoreSteps(reservations))
    for (const e of step.entries) {
      const one = Resources.fromEntries([e]);
      const source = one.popReservation();
      if (out.contains(source)) out = out.minus(source).plus(one);
    }
  return out;
}
