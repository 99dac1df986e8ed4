// The leader marks its own pod `mesos.operator.dev/leader=true` (and clears the mark from any
// other replica's pod), so a Service selecting on the label — the chart's Mesos API Service —
// always routes to the one replica that serves the Mesos API. Clearing others matters after a
// crash: the old leader could not remove its own label.
import type { Logger } from "../logging.ts";
import type { LeaderRunnable } from "./controllerManager.ts";
import type { Pod } from "./podSchema.ts";
import type { PodWriter } from "./pods.ts";
import type { ReadonlyStore } from "./store.ts";

export const LEADER_LABEL = "mesos.operator.dev/leader";

export interface LeaderPodLabelOptions {
  pods: PodWriter;
  /** The pod informer's cache, to find other replicas still labelled. */
  cache: ReadonlyStore<Pod>;
  namespace: string;
  /** This replica's pod. */
  name: string;
  log: Logger;
}

export function leaderPodLabel(opts: LeaderPodLabelOptions): LeaderRunnable {
  const log = opts.log.child({ component: "leader-pod-label" });
  const label = (name: string, value: "true" | null) =>
    opts.pods.mergePatch(
      { namespace: opts.namespace, name },
      { metadata: { labels: { [LEADER_LABEL]: value } } },
    );
  return {
    name: "leader-pod-label",
    async start() {
      await label(opts.name, "true");
      const others = opts.cache
        .listByNamespace(opts.namespace)
        .filter((p) => p.metadata.name !== opts.name && p.metadata.labels?.[LEADER_LABEL] !== undefined);
      for (const p of others) {
        await label(p.metadata.name ?? "", null).catch((err: unknown) =>
          log.warn({ err, pod: p.metadata.name }, "could not clear the leader label of a former leader"),
        );
      }
      log.info(
        { pod: opts.name, cleared: others.map((p) => p.metadata.name) },
        "labelled this pod as leader",
      );
    },
    async stop() {
      // Best effort: a new leader clears it anyway.
      await label(opts.name, null).catch((err: unknown) =>
        log.warn({ err }, "could not clear the leader label"),
      );
    },
  };
}
