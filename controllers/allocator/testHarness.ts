// Small helpers for the allocator's tests and benchmark: agents from text, offers as text.
import type { Allocator } from "./allocator.ts";
import type { AgentSpec } from "./inputModel.ts";
import type { Offer } from "./offers.ts";
import { formatResources, parseResources } from "./resourceText.ts";

/** An agent `id` on node `id` with resources in the agent flag form. */
export function agent(id: string, resources: string, extra: Partial<AgentSpec> = {}): AgentSpec {
  return { id, hostname: id, nodeName: id, resources: parseResources(resources), ...extra };
}

/** `framework@agent(role) resources` for each offer, sorted, for readable assertions. */
export function describeOffers(offers: readonly Offer[]): string[] {
  return offers.map((o) => `${o.frameworkId}@${o.agentId}(${o.role}) ${formatResources(o.resources)}`).sort();
}

/** Decline every offer (refuse 0 = no filter unless given), as Mesos tests "recover" resources. */
export function declineAll(
  allocator: Allocator,
  offers: readonly Offer[],
  now: number,
  refuseSeconds = 0,
): void {
  for (const o of offers) allocator.decline(o.frameworkId, [o.id], { refuseSeconds }, now);
}

/** Accept every offer whole with one task per offer (saturated demand). */
export function acceptAll(allocator: Allocator, offers: readonly Offer[], now: number): void {
  for (const o of offers)
    allocator.accept(
      {
        frameworkId: o.frameworkId,
        offerIds: [o.id],
        operations: [
          { type: "LAUNCH", tasks: [{ taskId: o.id, agentId: o.agentId, resources: o.resources }] },
        ],
      },
      now,
    );
}

/** How many offers each framework got. */
export function countByFramework(offers: readonly Offer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of offers) out[o.frameworkId] = (out[o.frameworkId] ?? 0) + 1;
  return out;
}
