// The drain state of one node (Mesos agent draining, DRAIN_AGENT; semantics.md §3.2): annotation
// mesos.operator.dev/drain = {"state":"DRAINING"|"DRAINED","config":{"mark_gone":…,
// "max_grace_period":{"nanoseconds":…}},"started":"<RFC 3339>"} — Mesos's DrainInfo plus when the
// drain began (estimated_drain_start_time), kept on the Node so that a new leader knows it. A
// draining or drained node's agent is deactivated (no offers), whether or not the node is still
// cordoned; its tasks are killed (controllers/task) and the drain controller moves it from
// DRAINING to DRAINED (or marks it gone). An annotation that does not parse is ignored.
import { z } from "zod";

export const DRAIN_ANNOTATION = "mesos.operator.dev/drain";

const NodeDrainSchema = z.object({
  state: z.enum(["DRAINING", "DRAINED"]),
  config: z.object({
    mark_gone: z.boolean(),
    max_grace_period: z.object({ nanoseconds: z.number().int().min(0) }).optional(),
  }),
  started: z.iso.datetime({ offset: true }),
});
export type NodeDrain = z.infer<typeof NodeDrainSchema>;

/** The node's drain, or undefined when it is not draining or drained (or the annotation is unreadable). */
export function nodeDrain(node: {
  metadata?: { annotations?: Readonly<Record<string, string>> | undefined } | undefined;
}): NodeDrain | undefined {
  const text = node.metadata?.annotations?.[DRAIN_ANNOTATION];
  if (text === undefined) return undefined;
  try {
    const parsed = NodeDrainSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The annotation text for `d` (stable key order). */
export function nodeDrainText(d: NodeDrain): string {
  const config =
    d.config.max_grace_period === undefined
      ? { mark_gone: d.config.mark_gone }
      : {
          mark_gone: d.config.mark_gone,
          max_grace_period: { nanoseconds: d.config.max_grace_period.nanoseconds },
        };
  return JSON.stringify({ state: d.state, config, started: d.started });
}

/** DrainConfig.max_grace_period in seconds, or undefined when the drain sets none. */
export const maxGracePeriodSeconds = (d: NodeDrain): number | undefined =>
  d.config.max_grace_period === undefined ? undefined : d.config.max_grace_period.nanoseconds / 1e9;
