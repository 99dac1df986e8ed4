// The maintenance state of one node, as the leader writes it from the maintenance schedule
// (controllers/mesos-api/state/maintenanceNodes.ts): annotation mesos.operator.dev/maintenance =
// {"mode":"DRAINING"|"DOWN","unavailability":{"start":{"nanoseconds":…},"duration":{…}}}. A
// DRAINING node's agent offers with that unavailability and draws inverse offers; a DOWN node is
// no agent at all (Mesos removes the agents of a DOWN machine). An annotation that does not parse
// is ignored rather than guessed at.
import { z } from "zod";
import type { Unavailability } from "./inputModel.ts";

export const MAINTENANCE_ANNOTATION = "mesos.operator.dev/maintenance";

const Nanoseconds = z.object({ nanoseconds: z.number().finite() });
const NodeMaintenanceSchema = z.object({
  mode: z.enum(["DRAINING", "DOWN"]),
  unavailability: z.object({ start: Nanoseconds, duration: Nanoseconds.optional() }),
  /** The maintenance cordoned the node (START_MAINTENANCE), so STOP_MAINTENANCE uncordons it. */
  cordoned: z.boolean().optional(),
});
export type NodeMaintenance = z.infer<typeof NodeMaintenanceSchema>;

/** The node's maintenance, or undefined when it has none (or an unreadable one). */
export function nodeMaintenance(node: {
  metadata?: { annotations?: Readonly<Record<string, string>> | undefined } | undefined;
}): NodeMaintenance | undefined {
  const text = node.metadata?.annotations?.[MAINTENANCE_ANNOTATION];
  if (text === undefined) return undefined;
  try {
    const parsed = NodeMaintenanceSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The annotation text for `m` (stable key order, so an unchanged state writes nothing). */
export function nodeMaintenanceText(m: NodeMaintenance): string {
  const u: Unavailability = {
    start: { nanoseconds: m.unavailability.start.nanoseconds },
    ...(m.unavailability.duration === undefined
      ? {}
      : { duration: { nanoseconds: m.unavailability.duration.nanoseconds } }),
  };
  return JSON.stringify({ mode: m.mode, unavailability: u, ...(m.cordoned ? { cordoned: true } : {}) });
}
