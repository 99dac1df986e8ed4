// The operator process: configuration → logger, metrics, cluster caches → leader election →
// controllers while leading → graceful shutdown on SIGTERM/SIGINT.
//
// Every replica lists and watches (warm caches, fast takeover) and serves /readyz once its caches
// are synced, whether it leads or stands by; only the leader runs controllers and the other
// leader-only work. Shutdown order matters: stop controllers first, then release the Lease (so the
// next leader never overlaps with us), then flush Events and close the health server.
//
// Reconcilers plug in through CONTROLLERS below: a factory gets the OperatorContext (caches,
// writers, events, config) and returns Controllers (controllers/cluster/controller.ts).
import { pathToFileURL } from "node:url";
import { AllocationLoop } from "./allocation/allocationLoop.ts";
import type { Framework } from "./api/index.ts";
import { type Cluster, connectCluster, loadKubeConfig } from "./cluster/cluster.ts";
import type { Controller } from "./cluster/controller.ts";
import { ControllerManager, type LeaderRunnable } from "./cluster/controllerManager.ts";
import { LeaderElector } from "./cluster/leaderElection.ts";
import { leaderPodLabel } from "./cluster/leaderPodLabel.ts";
import { OperatorMetrics } from "./cluster/metrics.ts";
import { type Config, ConfigError, ConfigExit, parseConfig } from "./config.ts";
import { drainControllers } from "./drain/drainController.ts";
import { FRAMEWORK_CONTROLLER, frameworkControllers } from "./framework/frameworkController.ts";
import { frameworkIdOf } from "./framework/frameworkPhase.ts";
import { SchedulerConnections } from "./framework/schedulerConnections.ts";
import { HealthServer } from "./health.ts";
import { createLogger, type Logger } from "./logging.ts";
import { mesosApiRunnable } from "./mesos-api/state/mesosApiRunnable.ts";
import { offerControllers } from "./offer/offerController.ts";
import { roleControllers } from "./role/roleController.ts";
import { taskControllers } from "./task/taskController.ts";

/** What a controller factory gets. */
export interface OperatorContext {
  config: Config;
  log: Logger;
  metrics: OperatorMetrics;
  cluster: Cluster;
  /** True while this replica leads (controllers only run then). */
  isLeader(): boolean;
  /** Enqueues `key` on the controller named `controller` (no-op while not leading). */
  enqueue(controller: string, key: string, afterMs?: number): void;
}

export type ControllerFactory = (ctx: OperatorContext) => Controller[];
export type RunnableFactory = (ctx: OperatorContext) => LeaderRunnable[];

/** One allocation loop per operator: the runnable owns the allocator, the controllers use it. */
const allocationLoops = new WeakMap<OperatorContext, AllocationLoop>();
function allocationLoopOf(ctx: OperatorContext): AllocationLoop {
  let loop = allocationLoops.get(ctx);
  if (loop === undefined) {
    loop = new AllocationLoop({
      config: ctx.config,
      informers: ctx.cluster.informers,
      log: ctx.log,
      enqueue: (controller, key, afterMs) => ctx.enqueue(controller, key, afterMs),
      metrics: ctx.metrics.scheduling,
    });
    allocationLoops.set(ctx, loop);
  }
  return loop;
}

/** Which Mesos-API schedulers are subscribed to this leader: the Mesos API writes, the framework reconciler reads. */
const schedulerConnections = new WeakMap<OperatorContext, SchedulerConnections>();
function schedulerConnectionsOf(ctx: OperatorContext): SchedulerConnections {
  let connections = schedulerConnections.get(ctx);
  if (connections === undefined) {
    const created = new SchedulerConnections();
    created.onChange((frameworkId) => {
      const fw = ctx.cluster.informers.frameworks.cache
        .list()
        .find((f) => frameworkIdOf(f as Framework) === frameworkId);
      if (fw !== undefined) ctx.enqueue(FRAMEWORK_CONTROLLER, `${fw.metadata.namespace}/${fw.metadata.name}`);
    });
    schedulerConnections.set(ctx, created);
    connections = created;
  }
  return connections;
}

/** The reconcilers of the operator. Add a factory here to run a controller while leading. */
export const CONTROLLERS: readonly ControllerFactory[] = [
  (ctx) => taskControllers(ctx, allocationLoopOf(ctx)),
  (ctx) => frameworkControllers(ctx, allocationLoopOf(ctx), schedulerConnectionsOf(ctx)),
  (ctx) => offerControllers(ctx, allocationLoopOf(ctx)),
  (ctx) => roleControllers(ctx, allocationLoopOf(ctx)),
  (ctx) => drainControllers(ctx),
];
/** Leader-only work that is not key-driven (the allocation loop). */
export const RUNNABLES: readonly RunnableFactory[] = [
  (ctx) => [allocationLoopOf(ctx)],
  // The Mesos HTTP API (scheduler, operator API, legacy endpoints) on config.mesosApiPort.
  (ctx) => [
    mesosApiRunnable({
      config: ctx.config,
      cluster: ctx.cluster,
      access: allocationLoopOf(ctx),
      log: ctx.log,
      isLeader: () => ctx.isLeader(),
      metrics: ctx.metrics.scheduling,
      connections: schedulerConnectionsOf(ctx),
    }),
  ],
];

export interface OperatorOptions {
  config: Config;
  /** This replica's pod; the leader labels it (see leaderPodLabel.ts). */
  pod?: { name: string; namespace: string } | undefined;
  log: Logger;
  controllers?: readonly ControllerFactory[];
  runnables?: readonly RunnableFactory[];
}

export interface Operator {
  context: OperatorContext;
  /** Port the health server listens on (config.metricsPort, or the one picked for 0). */
  healthPort: number;
  elector: LeaderElector | undefined;
  manager: ControllerManager;
  /** Graceful shutdown; resolves when done (or at the shutdown timeout). */
  stop(): Promise<void>;
}

/** Starts the operator; resolves once it is serving health and contending for leadership. */
export async function startOperator(opts: OperatorOptions): Promise<Operator> {
  const { config, log } = opts;
  const metrics = new OperatorMetrics();
  const cluster = connectCluster({
    kubeConfig: loadKubeConfig(config.kubeconfig),
    identity: config.identity,
    log,
    informerMetrics: metrics.informer(),
    eventMetrics: metrics.events(),
    relistIntervalMs: config.informerRelistSeconds * 1000,
    resyncIntervalMs: config.informerResyncSeconds * 1000,
    stallTimeoutMs: config.watchStallSeconds * 1000,
  });
  const informers = cluster.allInformers();
  metrics.scheduling.observeTasks(() => cluster.informers.tasks.cache.list().map((t) => t.status?.state));
  const shutdownTimeoutMs = config.shutdownTimeoutSeconds * 1000;

  const manager = new ControllerManager({
    log,
    metrics: metrics.workQueue(),
    defaultConcurrency: config.reconcileWorkers,
    waitForCaches: async (signal) => {
      await Promise.all(informers.map((i) => i.waitForSync(signal)));
    },
  });

  let elector: LeaderElector | undefined;
  const context: OperatorContext = {
    config,
    log,
    metrics,
    cluster,
    isLeader: () => (elector ? elector.isLeader() : manager.running),
    enqueue: (controller, key, afterMs) => manager.enqueue(controller, key, afterMs),
  };
  for (const factory of opts.controllers ?? CONTROLLERS)
    for (const c of factory(context)) manager.addController(c);
  for (const factory of opts.runnables ?? RUNNABLES) for (const r of factory(context)) manager.addRunnable(r);
  if (config.leaderElection && opts.pod) {
    const { name, namespace } = opts.pod;
    manager.addRunnable(
      leaderPodLabel({
        pods: cluster.writers.pods,
        cache: cluster.informers.pods.cache,
        namespace,
        name,
        log,
      }),
    );
  }

  const health = new HealthServer({ port: config.metricsPort, metrics: () => metrics.render(), log });
  health.addLivenessCheck("ping", () => true);
  health.addReadinessCheck("informers", () => {
    const waiting = informers.filter((i) => !i.hasSynced()).map((i) => i.name);
    return waiting.length === 0 || `not synced: ${waiting.join(", ")}`;
  });
  health.addReadinessCheck("leader-election", () => {
    if (!elector) return true;
    const state = elector.currentState;
    return state === "leader" || state === "candidate" || `state ${state}`;
  });
  const healthPort = await health.listen();
  log.info({ port: healthPort }, "serving /metrics, /healthz, /readyz");

  for (const i of informers) i.start();

  if (config.leaderElection) {
    elector = new LeaderElector({
      coord: cluster.coordination,
      namespace: config.leaseNamespace,
      name: config.leaseName,
      identity: config.identity,
      leaseDurationMs: config.leaseDurationSeconds * 1000,
      renewDeadlineMs: config.leaseRenewDeadlineSeconds * 1000,
      retryPeriodMs: config.leaseRetryPeriodSeconds * 1000,
      log,
      onLeaderStatus: metrics.leader(config.leaseName),
      callbacks: {
        onStartedLeading: () => {
          // Not awaited: the elector must keep renewing while the caches sync.
          void manager.startLeading();
        },
        onStoppedLeading: () => manager.stopLeading(shutdownTimeoutMs),
      },
    });
    elector.start();
  } else {
    log.warn("leader election is off: this replica runs the controllers unconditionally");
    void manager.startLeading();
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      log.info("shutting down");
      health.markShuttingDown();
      if (elector) await elector.stop();
      else await manager.stopLeading(shutdownTimeoutMs);
      await cluster.events.stop();
      await Promise.all(informers.map((i) => i.stop()));
      await health.close();
      log.info("shut down");
    })();
    return stopping;
  };
  return { context, healthPort, elector, manager, stop };
}

/** The command-line entry point: `npm run operator -- [flags]`. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let parsed: ReturnType<typeof parseConfig>;
  try {
    parsed = parseConfig(argv, env);
  } catch (err) {
    if (err instanceof ConfigExit) return err.exitCode;
    if (err instanceof ConfigError) {
      process.stderr.write(`mesos-operator: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const log = createLogger({ level: parsed.config.logLevel, base: { identity: parsed.config.identity } });
  for (const w of parsed.warnings) log.warn(w);

  let operator: Operator;
  try {
    operator = await startOperator({ config: parsed.config, pod: parsed.pod, log });
  } catch (err) {
    log.fatal({ err }, "could not start");
    return 1;
  }

  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        log.warn({ signal }, "second signal: exiting without finishing shutdown");
        resolve(1);
        return;
      }
      log.info({ signal }, "signal received");
      // A shutdown that hangs (an API server that never answers) must not keep the pod forever.
      const deadline = setTimeout(
        () => {
          log.error("shutdown deadline passed; exiting");
          resolve(1);
        },
        parsed.config.shutdownTimeoutSeconds * 1000 + 5_000,
      );
      deadline.unref();
      operator.stop().then(
        () => resolve(0),
        (err: unknown) => {
          log.error({ err }, "shutdown failed");
          resolve(1);
        },
      );
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  });
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(
        `mesos-operator: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exit(1);
    },
  );
}
