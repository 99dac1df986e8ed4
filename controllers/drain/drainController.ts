// The drain reconciler: moves a DRAINING node (annotation mesos.operator.dev/drain, written by
// DRAIN_AGENT) to DRAINED once no task is left on it, or marks its agent gone when the drain asked
// for that (the agent-gone annotation; the drain annotation goes, as Mesos forgets the drain info
// of a gone agent). The killing itself is the task reconciler's (controllers/task/drainKill.ts).
// Keyed by node name; task changes wake the node they are on.
import { AGENT_GONE_ANNOTATION, DRAIN_ANNOTATION, nodeDrain, nodeDrainText } from "../allocator/index.ts";
import type { Framework, Task } from "../api/index.ts";
import { type Controller, isConflict, isNotFound, requeueSoonWhen, watch } from "../cluster/index.ts";
import type { Node } from "../cluster/nodeSchema.ts";
import type { OperatorContext } from "../main.ts";
import { drainStep } from "./drainProgress.ts";

export const DRAIN_CONTROLLER = "drain";

export function drainControllers(ctx: OperatorContext): Controller[] {
  const { informers, writers } = ctx.cluster;
  const log = ctx.log.child({ controller: DRAIN_CONTROLLER });

  async function reconcile(name: string): Promise<undefined> {
    const node = informers.nodes.cache.getByName(undefined, name) as Node | undefined;
    if (node === undefined) return undefined;
    const drain = nodeDrain(node);
    // Most node events are heartbeats of nodes that are not draining: no task scan for those.
    if (drain?.state !== "DRAINING") return undefined;
    const tasks = (informers.tasks.cache.list() as Task[]).filter((t) => t.status?.nodeName === name);
    const step = drainStep(
      drain,
      tasks,
      (t) =>
        informers.frameworks.cache.getByName(t.metadata.namespace, t.spec.frameworkName) as
          | Framework
          | undefined,
    );
    if (step.kind === "none" || step.kind === "wait") return undefined;
    if (step.kind === "drained") {
      await writers.nodes.patch(name, {
        annotations: { [DRAIN_ANNOTATION]: nodeDrainText({ ...drain, state: "DRAINED" }) },
        // A DRAIN_AGENT meanwhile (a new config, DRAINING again) must not be overwritten.
        resourceVersion: node.metadata.resourceVersion,
      });
      log.info({ node: name }, "agent DRAINED");
    } else {
      await writers.nodes.patch(name, {
        annotations: { [AGENT_GONE_ANNOTATION]: new Date().toISOString(), [DRAIN_ANNOTATION]: null },
        resourceVersion: node.metadata.resourceVersion,
      });
      log.info({ node: name }, "agent drained and marked gone");
    }
    return undefined;
  }

  return [
    {
      name: DRAIN_CONTROLLER,
      watches: [watch(informers.nodes), watch(informers.tasks, (t) => [t.status?.nodeName])],
      reconcile: requeueSoonWhen((err) => isConflict(err) || isNotFound(err), reconcile),
    },
  ];
}
