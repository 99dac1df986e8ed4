// The task reconciler: a Task → an ACCEPT on the leader's allocator → TASK_STAGING in its status →
// a pod created unbound and bound to the offer's node → Mesos task states observed from the pod
// and its node. Each step is decided from the caches by the pure modules beside this file, so a
// reconcile repeated after a crash asks for nothing new.
//
// Crash safety: the launch is recorded in Task.status (with a resourceVersion precondition, so two
// replicas never both launch a task) before the pod is created; the pod's name comes from the
// Task's UID, so creating it again finds the same pod.
import { randomUUID } from "node:crypto";
import type { AllocationAccess, UnrecordedLaunch } from "../allocation/allocationLoop.ts";
import { nodeReachability } from "../allocation/nodeReachability.ts";
import { fromCompactResources } from "../allocation/resourceShapes.ts";
import { isMarkedGone, nodeDrain, nodeMaintenance, nodeToAgent, type Resources } from "../allocator/index.ts";
import {
  type Condition,
  type Framework,
  findCondition,
  setCondition,
  type Task,
  type TaskStatus,
} from "../api/index.ts";
import {
  type Controller,
  type EventRecorder,
  isConflict,
  isForbidden,
  isNotFound,
  keyOf,
  requeueSoonWhen,
  watch,
} from "../cluster/index.ts";
import type { Node } from "../cluster/nodeSchema.ts";
import type { Pod } from "../cluster/podSchema.ts";
import { adoptionOwnerReferences } from "../framework/frameworkOwnership.ts";
import { decidePhase, frameworkIdOf } from "../framework/frameworkPhase.ts";
import type { OperatorContext } from "../main.ts";
import { type DrainKill, drainKillOf } from "./drainKill.ts";
import { planLaunch, taskIdInUse } from "./launchPlan.ts";
import { podAction } from "./podActions.ts";
import { podForTask } from "./podForTask.ts";
import { containerNameFor, taskIdOf, taskUsageKey } from "./podIdentity.ts";
import { type RecordContext, recordLaunch, recordTaskUpdate } from "./statusUpdates.ts";
import { taskStatusEvents } from "./taskEvents.ts";
import {
  killingMissedBeforeEnd,
  observeTask,
  runningMissedBeforeEnd,
  type TaskNodeState,
  type TaskObservationInput,
} from "./taskStateFromPod.ts";
import { conditionChangeEvent, refOf, type TransitionEvent } from "./transitionEvent.ts";
import {
  type ConditionInput,
  notScheduledCondition,
  SCHEDULED_CONDITION,
  scheduledCondition,
  waitingForGroupCondition,
} from "./whyNotRunning.ts";

export const TASK_CONTROLLER = "task";

/**
 * Image of a task that names none. A Mesos command task runs in its agent's filesystem; here a
 * small shell image stands in (kwok's fake nodes never pull it).
 */
export const DEFAULT_TASK_IMAGE = "busybox:1.36";

/** How long a task waiting for resources waits before asking again (new offers wake it sooner). */
const WAITING_RECHECK_MS = 5_000;
/** After idle offers were taken back, the next allocation cycle should have something. */
const RECLAIMED_RECHECK_MS = 500;

/** Records a lifecycle Event on the object it concerns. */
export function recordTransition(events: EventRecorder, ev: TransitionEvent): void {
  const r = ev.regarding;
  events.record(
    {
      apiVersion: r.apiVersion,
      kind: r.kind,
      metadata: { name: r.name, namespace: r.namespace, uid: r.uid },
    },
    { type: ev.type, reason: ev.reason, action: ev.action, note: ev.note },
  );
}

const taskRef = (task: Task) =>
  refOf({ apiVersion: task.apiVersion, kind: task.kind, metadata: task.metadata });

export function taskControllers(ctx: OperatorContext, access: AllocationAccess): Controller[] {
  const { informers, writers, events } = ctx.cluster;
  const record = (ev: TransitionEvent | undefined) => {
    if (ev !== undefined) recordTransition(events, ev);
  };
  const recordContext = (): RecordContext => ({ now: new Date(), newUuid: randomUUID });

  const frameworkTasks = (namespace: string, frameworkName: string): Task[] =>
    (informers.tasks.cache.listByNamespace(namespace) as Task[]).filter(
      (t) => t.spec.frameworkName === frameworkName,
    );

  const log = ctx.log.child({ controller: TASK_CONTROLLER });

  /** Writes a Task's whole status, locked to the version it was computed from. */
  async function writeStatus(task: Task, status: TaskStatus): Promise<void> {
    await writers.tasks.applyStatus(
      { namespace: task.metadata.namespace, name: task.metadata.name ?? "" },
      status,
      { resourceVersion: task.metadata.resourceVersion },
    );
    for (const ev of taskStatusEvents(task, task.status, status)) record(ev);
    if (status.state !== undefined && status.state !== task.status?.state) {
      ctx.metrics.scheduling.taskUpdate(status.state, status.source, status.reason);
      logStateChange(task, status);
    }
  }

  /** One JSON log line per task state change, with the Mesos IDs an operator greps for. */
  function logStateChange(task: Task, status: TaskStatus): void {
    const namespace = task.metadata.namespace ?? "";
    const fw = informers.frameworks.cache.get(`${namespace}/${task.spec.frameworkName}`) as
      | Framework
      | undefined;
    log.info(
      {
        frameworkId: fw === undefined ? undefined : frameworkIdOf(fw),
        taskId: taskIdOf(task),
        task: `${namespace}/${task.metadata.name ?? ""}`,
        state: status.state,
        previousState: task.status?.state,
        reason: status.reason,
        source: status.source,
        agentId: status.agentId,
        node: status.nodeName,
      },
      "task state changed",
    );
  }

  /** Sets the Scheduled condition (no write when it says the same). */
  async function writeScheduled(task: Task, condition: ConditionInput): Promise<void> {
    const before = findCondition(task.status?.conditions, SCHEDULED_CONDITION);
    if (
      before?.status === condition.status &&
      before.reason === condition.reason &&
      before.message === condition.message
    )
      return;
    await writeStatus(task, { ...task.status, conditions: setCondition(task.status?.conditions, condition) });
    record(conditionChangeEvent(taskRef(task), before, condition, "Schedule"));
  }

  const withScheduled = (status: TaskStatus, condition: ConditionInput): TaskStatus => ({
    ...status,
    conditions: setCondition(status.conditions as Condition[] | undefined, condition),
  });

  function nodeStateOf(nodeName: string | undefined): TaskNodeState | undefined {
    if (nodeName === undefined) return undefined;
    const node = informers.nodes.cache.getByName(undefined, nodeName) as Node | undefined;
    if (node === undefined) return "gone";
    if (isMarkedGone(node)) return "gone-by-operator";
    return nodeMaintenance(node)?.mode === "DOWN" ? "machine-down" : nodeReachability(node);
  }

  /** What the drain of the task's node asks (DRAIN_AGENT), if it is draining or drained. */
  function drainOf(nodeName: string | undefined): DrainKill | undefined {
    if (nodeName === undefined) return undefined;
    const node = informers.nodes.cache.getByName(undefined, nodeName) as Node | undefined;
    return node === undefined ? undefined : drainKillOf(nodeDrain(node));
  }

  function locationOf(t: Task) {
    const nodeName = t.status?.nodeName;
    const node =
      nodeName === undefined
        ? undefined
        : (informers.nodes.cache.getByName(undefined, nodeName) as Node | undefined);
    const agent =
      node === undefined
        ? undefined
        : nodeToAgent(node, { portRanges: ctx.config.agentPortRanges, agentSelector: undefined });
    return agent === undefined ? undefined : { hostname: agent.hostname, attributes: agent.attributes ?? [] };
  }

  /**
   * Writes the outcome of an ACCEPT into its Tasks' statuses (TASK_STAGING with the pod and node,
   * or the master's refusal), reading each Task fresh from the cache: a retry after a stale write
   * records the same ACCEPT rather than making another.
   */
  async function recordAccept(held: UnrecordedLaunch): Promise<void> {
    const { result } = held;
    for (const key of held.memberKeys) {
      const m = informers.tasks.cache.get(key) as Task | undefined;
      if (m === undefined) continue;
      const launched = result.launched.find((l) => l.taskId === taskIdOf(m));
      const update = result.updates.find((u) => u.taskId === taskIdOf(m));
      let next: TaskStatus | undefined;
      if (launched !== undefined) {
        const staged = recordLaunch(
          m.status,
          {
            agentId: launched.agentId,
            nodeName: held.nodeName,
            podName: held.podName,
            offerIds: held.offerIds,
            role: launched.role,
          },
          recordContext(),
        );
        next =
          staged === undefined
            ? undefined
            : withScheduled(staged, scheduledCondition(held.nodeName, held.offerIds, m.metadata.generation));
      } else if (update !== undefined)
        next = recordTaskUpdate(
          m.status,
          { state: update.state, source: update.source, reason: update.reason, message: update.message },
          recordContext(),
        );
      if (next !== undefined) await writeStatus(m, next);
    }
    access.launchRecorded(held);
  }

  async function launch(task: Task, fw: Framework): Promise<{ requeueAfterMs?: number } | undefined> {
    const held = access.unrecordedLaunch(keyOf(task) ?? "");
    if (held !== undefined) {
      await recordAccept(held);
      return undefined;
    }
    const namespace = task.metadata.namespace ?? "";
    const frameworkId = frameworkIdOf(fw);
    const tasks = frameworkTasks(namespace, fw.metadata.name ?? "");
    const plan = planLaunch({
      task,
      frameworkTasks: tasks,
      frameworkId,
      frameworkRoles: fw.spec.roles,
      offers: access.offersOf(frameworkId),
      offerById: (id) => access.offer(id),
      locationOf,
    });
    const generation = task.metadata.generation;
    switch (plan.kind) {
      case "not-pending":
        return undefined;
      case "wait-for-group":
        await writeScheduled(task, waitingForGroupCondition(plan.have, plan.size, generation));
        return undefined;
      case "join-group-launch": {
        const next = recordLaunch(task.status, plan.launch, recordContext());
        if (next !== undefined)
          await writeStatus(
            task,
            withScheduled(next, scheduledCondition(plan.launch.nodeName, plan.launch.offerIds, generation)),
          );
        return undefined;
      }
      case "refuse":
        for (const m of plan.members) {
          const next = recordTaskUpdate(m.status, plan.observation, recordContext());
          if (next !== undefined) await writeStatus(m, next);
        }
        return undefined;
      case "no-fitting-offer": {
        const explanation = access.explain(frameworkId, {
          role: plan.role,
          demand: fromCompactResources(plan.demand),
        })[0];
        const placement = plan.placement;
        // Resources held by idle frameworks' offers come back on the next cycle (AllocationLoop).
        const heldByOthers = explanation?.reasons.find((r) => r.kind === "held-in-other-offers");
        const reclaimed =
          heldByOthers?.kind === "held-in-other-offers"
            ? access.reclaimIdleOffers(heldByOthers.frameworks)
            : 0;
        await writeScheduled(
          task,
          notScheduledCondition({
            role: plan.role,
            demand: plan.demand,
            offersInRole: placement.placed ? 0 : placement.offersInRole,
            rejections: placement.placed ? [] : placement.rejections,
            explanation,
            observedGeneration: generation,
          }),
        );
        return { requeueAfterMs: reclaimed > 0 ? RECLAIMED_RECHECK_MS : WAITING_RECHECK_MS };
      }
      case "accept": {
        const result = access.accept(
          plan.call,
          taskIdInUse(tasks, plan.members),
          plan.members.map((m) => m.metadata.name ?? ""),
        );
        const held: UnrecordedLaunch = {
          memberKeys: plan.members.map((m) => keyOf(m) ?? ""),
          podName: plan.podName,
          nodeName: plan.nodeName,
          offerIds: plan.offerIds,
          result,
        };
        access.holdLaunch(held);
        await recordAccept(held);
        return undefined;
      }
    }
  }

  /**
   * A request RBAC refused is retried with backoff like any failure, and also shown where a user
   * looks: a Warning Event on the Task (`kubectl describe mtask`) quoting the API server, which names
   * the verb, the resource and the ServiceAccount.
   */
  function reportForbidden(
    inner: (key: string) => Promise<{ requeueAfterMs?: number } | undefined>,
  ): (key: string) => Promise<{ requeueAfterMs?: number } | undefined> {
    return async (key) => {
      try {
        return await inner(key);
      } catch (err) {
        const task = informers.tasks.cache.get(key) as Task | undefined;
        if (isForbidden(err) && task !== undefined)
          recordTransition(events, {
            regarding: taskRef(task),
            type: "Warning",
            reason: "Forbidden",
            action: "Launch",
            note: `The operator's ServiceAccount was refused a request: ${(err as Error).message}`,
          });
        throw err;
      }
    };
  }

  async function reconcile(key: string): Promise<{ requeueAfterMs?: number } | undefined> {
    let task = informers.tasks.cache.get(key) as Task | undefined;
    if (task === undefined || task.metadata.deletionTimestamp !== undefined) return undefined;
    const namespace = task.metadata.namespace ?? "";
    const fw = informers.frameworks.cache.get(`${namespace}/${task.spec.frameworkName}`) as
      | Framework
      | undefined;
    // A Task applied without an owner (kubectl) is adopted by its Framework, as the Mesos API
    // creates its Tasks, so that garbage collection removes it with the Framework.
    const owners = fw === undefined ? undefined : adoptionOwnerReferences(task, fw);
    if (owners !== undefined)
      task = await writers.tasks.mergePatch(
        { namespace, name: task.metadata.name ?? "" },
        { metadata: { ownerReferences: owners } },
        { resourceVersion: task.metadata.resourceVersion },
      );
    const launched = task.status?.podName !== undefined;
    const decided = task.status?.state !== undefined;
    const frameworkRemoved =
      fw === undefined
        ? launched
        : decidePhase({ framework: fw, connected: undefined, now: new Date() }).phase === "Completed";

    if (!launched && !decided && task.spec.kill === undefined && !frameworkRemoved) {
      if (fw === undefined) {
        await writeScheduled(task, {
          type: SCHEDULED_CONDITION,
          status: "False",
          reason: "FrameworkNotFound",
          message: `Waiting for Framework ${task.spec.frameworkName} in namespace ${namespace}.`,
        });
        return undefined;
      }
      if (!access.ready) return { requeueAfterMs: 500 };
      return launch(task, fw);
    }

    const frameworkId = fw === undefined ? "" : frameworkIdOf(fw);
    const podName = task.status?.podName;
    let pod =
      podName === undefined
        ? undefined
        : (informers.pods.cache.get(`${namespace}/${podName}`) as Pod | undefined);
    const podTasks =
      podName === undefined
        ? [task]
        : (informers.tasks.cache.listByNamespace(namespace) as Task[]).filter(
            (t) => t.status?.podName === podName,
          );
    const drain = drainOf(pod?.spec?.nodeName || task.status?.nodeName);
    const action = podAction(task, pod, podTasks, drain);
    const ref = { namespace, name: podName ?? "" };
    switch (action.kind) {
      case "create": {
        const status = task.status;
        if (status?.nodeName === undefined || status.agentId === undefined || status.role === undefined)
          break;
        // A task group's pod is made once every member's status names it: a member whose status
        // is written a moment later would otherwise get no container (its launch is all-or-nothing).
        const group = task.spec.taskGroup;
        if (group !== undefined && podTasks.length < group.size) return { requeueAfterMs: 200 };
        // Each container records what the ACCEPT gave its task (reserved resources stay reserved).
        const heldResources = new Map<string, Resources>();
        for (const t of podTasks) {
          const held = access.heldResources(taskUsageKey(namespace, ref.name, containerNameFor(t)));
          if (held !== undefined) heldResources.set(t.metadata.name ?? "", held);
        }
        const manifest = podForTask(
          {
            tasks: podTasks,
            frameworkId,
            heldResources,
            placement: {
              podName: ref.name,
              nodeName: status.nodeName,
              agentId: status.agentId,
              role: status.role,
              offerIds: status.offerIds ?? [],
            },
          },
          { defaultImage: DEFAULT_TASK_IMAGE },
        );
        manifest.metadata = { ...manifest.metadata, namespace };
        const created = await writers.pods.createIfAbsent(manifest);
        if (!(created.pod.metadata.ownerReferences ?? []).some((o) => o.uid === task.metadata.uid)) break;
        await writers.pods.bind(ref, status.nodeName, { uid: created.pod.metadata.uid });
        pod = created.pod;
        break;
      }
      case "bind":
        await writers.pods.bind(ref, action.nodeName, { uid: pod?.metadata.uid });
        break;
      case "delete":
        await writers.pods.delete(ref, {
          gracePeriodSeconds: action.gracePeriodSeconds,
          uid: pod?.metadata.uid,
        });
        break;
      case "conflict":
        ctx.log.warn({ task: key }, action.message);
        break;
      case "none":
        break;
    }

    const capabilities = fw?.spec.capabilities ?? [];
    const observed: TaskObservationInput = {
      task,
      pod,
      containerName: containerNameFor(task),
      node: pod?.spec?.nodeName ? nodeStateOf(pod.spec.nodeName) : nodeStateOf(task.status?.nodeName),
      partitionAware: capabilities.includes("PARTITION_AWARE"),
      taskKillingState: capabilities.includes("TASK_KILLING_STATE"),
      frameworkRemoved,
      drain,
    };
    const observation = observeTask(observed);
    if (observation === undefined) return undefined;
    const missed =
      runningMissedBeforeEnd(task, pod, observation) ?? killingMissedBeforeEnd(observed, observation);
    const ctxNow = recordContext();
    const before = missed ? (recordTaskUpdate(task.status, missed, ctxNow) ?? task.status) : task.status;
    const next =
      recordTaskUpdate(before, observation, ctxNow) ?? (before !== task.status ? before : undefined);
    if (next !== undefined) await writeStatus(task, next);
    return undefined;
  }

  const ownerTaskKeys = (pod: Pod): string[] =>
    (pod.metadata.ownerReferences ?? [])
      .filter((o) => o.kind === "Task")
      .map((o) => `${pod.metadata.namespace}/${o.name}`);

  return [
    {
      name: TASK_CONTROLLER,
      watches: [
        watch(informers.tasks),
        watch(informers.pods, ownerTaskKeys),
        watch(informers.frameworks, (fw) =>
          frameworkTasks(fw.metadata.namespace ?? "", fw.metadata.name ?? "").map(taskKey),
        ),
      ],
      // A stale cache lost the race to another write: the informer brings the news and a retry.
      reconcile: requeueSoonWhen((err) => isConflict(err) || isNotFound(err), reportForbidden(reconcile)),
    },
  ];
}

const taskKey = (t: Task): string => keyOf(t) ?? "";
