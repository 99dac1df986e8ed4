// The operator API's event stream from the caches (semantics.md §3.3, scenarios S-94/S-96):
// TASK_ADDED when a Task object appears, TASK_UPDATED when its state changes, AGENT_ADDED and
// AGENT_REMOVED as nodes become agents or stop being ones, FRAMEWORK_ADDED, FRAMEWORK_UPDATED (a
// change of phase, connection or FrameworkInfo) and FRAMEWORK_REMOVED (torn down or deleted).
// Objects already cached when a stream subscribes are in its SUBSCRIBED snapshot, not repeated.
import type { Framework, Task } from "../../api/index.ts";
import type { Informer } from "../../cluster/informer.ts";
import type { Node } from "../../cluster/nodeSchema.ts";
import type { AgentState } from "../messages/agent.ts";
import type { FrameworkState } from "../messages/framework.ts";
import type { Task as WireTask } from "../messages/task.ts";
import type { TaskStatus } from "../messages/taskStatus.ts";
import type { ClusterEvent } from "../operator/event.ts";

export interface ClusterEventSources {
  informers: {
    tasks: Pick<Informer<Task>, "addHandlers">;
    nodes: Pick<Informer<Node>, "addHandlers">;
    frameworks: Pick<Informer<Framework>, "addHandlers">;
  };
  /** The agent a node stands for (with its ID), or undefined when it is not an agent. */
  agentOf(node: Node): AgentState | undefined;
  frameworkState(fw: Framework): FrameworkState;
  /** The task as GET_TASKS shows it, or undefined when its framework is unknown. */
  wireTask(task: Task): WireTask | undefined;
  /** The last status sent for a task (for TASK_UPDATED). */
  lastStatus(task: Task, wire: WireTask): TaskStatus;
}

const completed = (fw: Framework) =>
  fw.status?.phase === "Completed" || fw.metadata.deletionTimestamp !== undefined;

/** What FRAMEWORK_UPDATED is about: a change of any of these. */
const frameworkDigest = (fw: Framework) =>
  JSON.stringify([fw.metadata.generation, fw.status?.phase, fw.status?.connected, fw.status?.frameworkId]);

/** Starts following the caches; returns the function that stops it. */
export function watchClusterEvents(
  src: ClusterEventSources,
  emit: (event: ClusterEvent) => void,
): () => void {
  let replaying = true;
  const agentIds = new Map<string, string>();
  const withoutOffers = (s: FrameworkState): FrameworkState => {
    const {
      offers: _o,
      inverse_offers: _i,
      allocated_resources: _a,
      offered_resources: _r,
      offer_constraints: _c,
      ...rest
    } = s;
    return rest;
  };
  const offs = [
    src.informers.nodes.addHandlers({
      onAdd: (n) => {
        const agent = src.agentOf(n);
        if (agent === undefined) return;
        agentIds.set(n.metadata.name ?? "", agent.agent_info.id?.value ?? "");
        if (!replaying) emit({ type: "AGENT_ADDED", agent_added: { agent } });
      },
      onUpdate: (_old, n) => {
        const name = n.metadata.name ?? "";
        const agent = src.agentOf(n);
        const known = agentIds.get(name);
        if (agent !== undefined && known === undefined) {
          agentIds.set(name, agent.agent_info.id?.value ?? "");
          emit({ type: "AGENT_ADDED", agent_added: { agent } });
        } else if (agent === undefined && known !== undefined) {
          agentIds.delete(name);
          emit({ type: "AGENT_REMOVED", agent_removed: { agent_id: { value: known } } });
        }
      },
      onDelete: (n) => {
        const name = n.metadata.name ?? "";
        const known = agentIds.get(name);
        if (known === undefined) return;
        agentIds.delete(name);
        emit({ type: "AGENT_REMOVED", agent_removed: { agent_id: { value: known } } });
      },
    }),
    src.informers.frameworks.addHandlers({
      onAdd: (fw) => {
        if (!replaying && !completed(fw))
          emit({
            type: "FRAMEWORK_ADDED",
            framework_added: { framework: withoutOffers(src.frameworkState(fw)) },
          });
      },
      onUpdate: (old, fw) => {
        if (completed(fw)) {
          if (!completed(old))
            emit({
              type: "FRAMEWORK_REMOVED",
              framework_removed: { framework_info: src.frameworkState(fw).framework_info },
            });
          return;
        }
        if (frameworkDigest(old) !== frameworkDigest(fw))
          emit({
            type: "FRAMEWORK_UPDATED",
            framework_updated: { framework: withoutOffers(src.frameworkState(fw)) },
          });
      },
      onDelete: (fw) => {
        if (!completed(fw))
          emit({
            type: "FRAMEWORK_REMOVED",
            framework_removed: { framework_info: src.frameworkState(fw).framework_info },
          });
      },
    }),
    src.informers.tasks.addHandlers({
      onAdd: (t) => {
        // A Task object appears before its launch is decided; it is added (to Mesos) with its first state.
        if (replaying || t.status?.state === undefined) return;
        const task = src.wireTask(t);
        if (task !== undefined) emit({ type: "TASK_ADDED", task_added: { task } });
      },
      onUpdate: (old, t) => {
        if (old.status?.state === t.status?.state || t.status?.state === undefined) return;
        const task = src.wireTask(t);
        if (task === undefined) return;
        if (old.status?.state === undefined) {
          emit({ type: "TASK_ADDED", task_added: { task } });
          return;
        }
        emit({
          type: "TASK_UPDATED",
          task_updated: {
            framework_id: task.framework_id,
            status: src.lastStatus(t, task),
            state: task.state,
          },
        });
      },
    }),
  ];
  replaying = false;
  return () => {
    for (const off of offs) off();
  };
}
