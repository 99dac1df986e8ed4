// Prometheus metrics of the operator runtime, on a registry of our own (not prom-client's global
// one, so tests and two operators in one process do not collide). Names follow controller-runtime
// and client-go where one exists (workqueue_*, leader_election_master_status), so existing
// dashboards and alerts fit. Process metrics (open FDs, event-loop lag, heap) come from
// collectDefaultMetrics: `process_open_fds` is the alarm for socket leaks (client-node #2893).
//
// Each component takes a small hooks interface (InformerMetrics, WorkQueueMetrics, ...) rather
// than prom-client itself; this module implements them.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { EventMetrics } from "./events.ts";
import type { InformerMetrics } from "./informer.ts";
import { SchedulingMetrics } from "./schedulingMetrics.ts";
import type { WorkQueueMetrics } from "./workQueue.ts";

const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class OperatorMetrics {
  readonly registry = new Registry();

  readonly workqueueDepth = new Gauge({
    name: "workqueue_depth",
    help: "Keys waiting in the work queue.",
    labelNames: ["name"],
    registers: [this.registry],
  });
  readonly workqueueAdds = new Counter({
    name: "workqueue_adds_total",
    help: "Keys added to the work queue.",
    labelNames: ["name"],
    registers: [this.registry],
  });
  readonly workqueueRetries = new Counter({
    name: "workqueue_retries_total",
    help: "Keys re-added after a failure (rate limited).",
    labelNames: ["name"],
    registers: [this.registry],
  });
  readonly workqueueDrops = new Counter({
    name: "workqueue_dropped_total",
    help: "Keys given up after too many failures.",
    labelNames: ["name"],
    registers: [this.registry],
  });
  readonly workqueueLatency = new Histogram({
    name: "workqueue_queue_duration_seconds",
    help: "Time a key waits in the queue before processing.",
    labelNames: ["name"],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly workqueueWork = new Histogram({
    name: "workqueue_work_duration_seconds",
    help: "Time one processing of a key takes.",
    labelNames: ["name"],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly reconcileTotal = new Counter({
    name: "controller_runtime_reconcile_total",
    help: "Reconciles by controller and result (success, requeue, error).",
    labelNames: ["controller", "result"],
    registers: [this.registry],
  });
  readonly leaderStatus = new Gauge({
    name: "leader_election_master_status",
    help: "1 when this replica holds the leader Lease, else 0.",
    labelNames: ["name"],
    registers: [this.registry],
  });
  readonly informerRelists = new Counter({
    name: "informer_relists_total",
    help: "Full LISTs by resource and reason (initial, gone = 410, periodic, error).",
    labelNames: ["resource", "reason"],
    registers: [this.registry],
  });
  readonly informerWatchRestarts = new Counter({
    name: "informer_watch_restarts_total",
    help: "Watches reopened by resource and reason (closed by the server, error, stalled).",
    labelNames: ["resource", "reason"],
    registers: [this.registry],
  });
  readonly informerEvents = new Counter({
    name: "informer_watch_events_total",
    help: "Watch events received by resource and type.",
    labelNames: ["resource", "type"],
    registers: [this.registry],
  });
  readonly informerDecodeErrors = new Counter({
    name: "informer_decode_errors_total",
    help: "Objects that did not match their schema and were not cached.",
    labelNames: ["resource"],
    registers: [this.registry],
  });
  readonly informerHandlerErrors = new Counter({
    name: "informer_handler_errors_total",
    help: "Exceptions thrown by informer event handlers (bugs).",
    labelNames: ["resource"],
    registers: [this.registry],
  });
  readonly informerSynced = new Gauge({
    name: "informer_synced",
    help: "1 once the resource's cache holds a complete list.",
    labelNames: ["resource"],
    registers: [this.registry],
  });
  readonly eventsRecorded = new Counter({
    name: "kubernetes_events_total",
    help: "Kubernetes Events by type and outcome (created, aggregated into a series, dropped, failed).",
    labelNames: ["type", "outcome"],
    registers: [this.registry],
  });

  /** Allocation, offers, tasks and Mesos API calls (also read back under Mesos names). */
  readonly scheduling = new SchedulingMetrics(this.registry);

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Text exposition for /metrics. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  informer(): InformerMetrics {
    return {
      relist: (resource, reason) => this.informerRelists.inc({ resource, reason }),
      watchRestart: (resource, reason) => this.informerWatchRestarts.inc({ resource, reason }),
      event: (resource, type) => this.informerEvents.inc({ resource, type }),
      decodeError: (resource) => this.informerDecodeErrors.inc({ resource }),
      handlerError: (resource) => this.informerHandlerErrors.inc({ resource }),
      synced: (resource, synced) => this.informerSynced.set({ resource }, synced ? 1 : 0),
    };
  }

  workQueue(): WorkQueueMetrics {
    return {
      depth: (name, depth) => this.workqueueDepth.set({ name }, depth),
      add: (name) => this.workqueueAdds.inc({ name }),
      retry: (name) => this.workqueueRetries.inc({ name }),
      drop: (name) => this.workqueueDrops.inc({ name }),
      queueLatency: (name, s) => this.workqueueLatency.observe({ name }, s),
      workDuration: (name, s) => this.workqueueWork.observe({ name }, s),
      result: (name, result) => this.reconcileTotal.inc({ controller: name, result }),
    };
  }

  events(): EventMetrics {
    return { event: (type, outcome) => this.eventsRecorded.inc({ type, outcome }) };
  }

  /** For the leader elector's onLeaderStatus. */
  leader(leaseName: string): (leading: boolean) => void {
    this.leaderStatus.set({ name: leaseName }, 0);
    return (leading) => this.leaderStatus.set({ name: leaseName }, leading ? 1 : 0);
  }
}
