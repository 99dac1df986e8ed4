// The framework reconciler: a Framework's FrameworkID, phase, conditions and resources in its
// status, and its teardown — a finalizer keeps a deleted Framework until the task reconciler has
// killed its tasks and their pods are gone. The allocator side (add, update, remove) is the
// allocation loop's: it follows the same Framework objects through the informer.
import type { AllocationAccess } from "../allocation/allocationLoop.ts";
import { nodeReachability } from "../allocation/nodeReachability.ts";
import {
  type Framework,
  findCondition,
  isTerminalTaskState,
  type Role,
  SCHEDULER_API_LABEL,
  type Task,
} from "../api/index.ts";
import {
  addFinalizer,
  type Controller,
  isConflict,
  keyOf,
  removeFinalizer,
  requeueSoonWhen,
  watch,
} from "../cluster/index.ts";
import type { Node } from "../cluster/nodeSchema.ts";
import type { OperatorContext } from "../main.ts";
import { recordTransition, TASK_CONTROLLER } from "../task/taskController.ts";
import { tasksScheduledCondition, waitingTasks } from "../task/whyNotRunning.ts";
import { frameworkPhaseEvent } from "./frameworkEvents.ts";
import { CONNECTED_CONDITION, decidePhase, frameworkIdOf } from "./frameworkPhase.ts";
import { checkFrameworkRoles } from "./frameworkRoles.ts";
import { frameworkStatus } from "./frameworkStatus.ts";
import { FRAMEWORK_FINALIZER, type TeardownTask, teardownStep } from "./frameworkTeardown.ts";
import { connectionInput, type SchedulerConnections } from "./schedulerConnections.ts";

export const FRAMEWORK_CONTROLLER = "framework";

/** How often a tearing-down framework looks at its tasks again (their events wake it sooner). */
const TEARDOWN_RECHECK_MS = 1_000;

/** Keys that sort equal the same, so an unchanged status compares equal and is not written. */
export const canonicalJson = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );

export function frameworkControllers(
  ctx: OperatorContext,
  access: AllocationAccess,
  connections: SchedulerConnections,
): Controller[] {
  const { informers, writers, events } = ctx.cluster;

  const tasksOf = (fw: Framework): Task[] =>
    (informers.tasks.cache.listByNamespace(fw.metadata.namespace ?? "") as Task[]).filter(
      (t) => t.spec.frameworkName === fw.metadata.name,
    );

  function teardownTask(t: Task): TeardownTask {
    const podName = t.status?.podName;
    const pod =
      podName === undefined ? undefined : informers.pods.cache.get(`${t.metadata.namespace}/${podName}`);
    const nodeName = pod?.spec?.nodeName;
    const node = nodeName
      ? (informers.nodes.cache.getByName(undefined, nodeName) as Node | undefined)
      : undefined;
    // A pod on a node that is gone or unreachable cannot finish going away: teardown does not wait.
    const reachable = !nodeName || (node !== undefined && nodeReachability(node) === "ready");
    return {
      name: t.metadata.name ?? "",
      state: t.status?.state,
      // A finished pod holds nothing and stays with its Task (its owner) for the record.
      podPresent:
        pod !== undefined && pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed" && reachable,
    };
  }

  async function reconcile(key: string): Promise<{ requeueAfterMs?: number } | undefined> {
    const fw = informers.frameworks.cache.get(key) as Framework | undefined;
    if (fw === undefined) return undefined;
    const now = new Date();
    const frameworkId = frameworkIdOf(fw);
    const connection = connectionInput(
      fw.metadata.labels?.[SCHEDULER_API_LABEL] !== undefined,
      connections.state(frameworkId),
      findCondition(fw.status?.conditions, CONNECTED_CONDITION),
    );
    const phase = decidePhase({ framework: fw, ...connection, now });
    const tasks = tasksOf(fw);
    const step = teardownStep(fw, phase.phase, tasks.map(teardownTask));
    switch (step.kind) {
      case "add-finalizer":
        await addFinalizer(writers.frameworks, fw, FRAMEWORK_FINALIZER);
        return undefined;
      case "kill-tasks":
        for (const name of step.tasks) ctx.enqueue(TASK_CONTROLLER, `${fw.metadata.namespace}/${name}`);
        break;
      case "remove-finalizer":
        await removeFinalizer(writers.frameworks, fw, FRAMEWORK_FINALIZER);
        return undefined;
      case "wait-for-pods":
      case "none":
        break;
    }
    const status = frameworkStatus({
      framework: fw,
      frameworkId,
      phase,
      ...connection,
      roles: checkFrameworkRoles(fw, informers.roles.cache.list() as Role[]),
      view: access.framework(frameworkId),
      activeTasks: tasks.filter((t) => t.status?.state !== undefined && !isTerminalTaskState(t.status.state))
        .length,
      // Why its waiting tasks wait, summed up from their Scheduled conditions (whyNotRunning.ts).
      tasksScheduled: tasksScheduledCondition(waitingTasks(tasks), fw.metadata.generation),
      now,
    });
    if (canonicalJson(status) !== canonicalJson(fw.status ?? {})) {
      await writers.frameworks.applyStatus(
        { namespace: fw.metadata.namespace, name: fw.metadata.name ?? "" },
        status,
        {
          resourceVersion: fw.metadata.resourceVersion,
        },
      );
      const ev = frameworkPhaseEvent(fw, phase);
      if (ev !== undefined) recordTransition(events, ev);
    }
    if (step.kind === "kill-tasks" || step.kind === "wait-for-pods")
      return { requeueAfterMs: TEARDOWN_RECHECK_MS };
    // A disconnected framework is torn down when its failover timeout passes: look again then.
    if (phase.failoverDeadline !== undefined)
      return { requeueAfterMs: Math.max(0, phase.failoverDeadline.getTime() - now.getTime()) + 10 };
    return undefined;
  }

  const frameworkOfTask = (t: Task): string[] => [`${t.metadata.namespace}/${t.spec.frameworkName}`];
  // Teardown waits for its tasks' pods to go: their deletion wakes it.
  const frameworkOfPod = (pod: {
    metadata: {
      namespace?: string | undefined;
      ownerReferences?: { kind: string; name: string }[] | undefined;
    };
  }): string[] =>
    (pod.metadata.ownerReferences ?? [])
      .filter((o) => o.kind === "Task")
      .flatMap((o) => {
        const t = informers.tasks.cache.get(`${pod.metadata.namespace}/${o.name}`) as Task | undefined;
        return t === undefined ? [] : frameworkOfTask(t);
      });

  return [
    {
      name: FRAMEWORK_CONTROLLER,
      watches: [
        watch(informers.frameworks),
        watch(informers.tasks, frameworkOfTask),
        watch(informers.pods, frameworkOfPod),
        watch(informers.roles, () =>
          (informers.frameworks.cache.list() as Framework[]).map((f) => keyOf(f) ?? ""),
        ),
      ],
      // Written from a stale cache (our own status write raced the informer): try again soon.
      reconcile: requeueSoonWhen(isConflict, reconcile),
    },
  ];
}
