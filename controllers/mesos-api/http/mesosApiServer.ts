// The Mesos HTTP façade on a node:http server: routes the scheduler API, the operator API and the
// legacy endpoints (semantics.md §1, §3), and owns the streams it has open.
//
// node:http rather than a framework: the façade's hard parts are byte-level (one RecordIO record
// per chunk, exact Content-Type strings, a 200 head before the subscription is decided), which a
// framework's reply pipeline would only get in the way of (docs/decisions.md).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Authorizer } from "../authorization/aclsFile.ts";
import type { MesosBackend } from "../backend.ts";
import { LEGACY_ENDPOINTS, type LegacyEndpoint, LegacyEndpoints } from "../legacy/legacyEndpoints.ts";
import {
  MAINTENANCE_ENDPOINTS,
  type MaintenanceEndpoint,
  MaintenanceEndpoints,
} from "../legacy/maintenanceEndpoints.ts";
import { OperatorApi } from "../operator/operatorApi.ts";
import { OperatorStreams } from "../operator/operatorStreams.ts";
import { SchedulerApi } from "../scheduler/schedulerApi.ts";
import { ApiMetrics } from "./apiMetrics.ts";
import { type Authentication, READWRITE_REALM, SCHEDULER_REALM } from "./authentication.ts";
import { type ApiLogger, SILENT_LOGGER } from "./logger.ts";
import { type IntervalTimers, REAL_INTERVAL_TIMERS } from "./recordIoStream.ts";
import { replyText } from "./replies.ts";
import { observeResponse, type RequestMetrics } from "./requestMetrics.ts";

export interface MesosApiServerOptions {
  backend: MesosBackend;
  /**
   * Scheduler stream heartbeat. Default 5 s, not Mesos's 15 s: mesos-framework drops a
   * connection idle for 10 s (clients.md §3.1), and the interval is advertised in SUBSCRIBED.
   */
  schedulerHeartbeatSeconds?: number | undefined;
  /** Operator stream heartbeat; default 15 s as Mesos (scenario S-94). */
  operatorHeartbeatSeconds?: number | undefined;
  /** Mesos --max_operator_event_stream_subscribers; default 1000. */
  maxOperatorSubscribers?: number | undefined;
  authentication?: Authentication | undefined;
  /** The ACLs (Mesos --acls); undefined: every authenticated request is allowed, as in Mesos. */
  authorizer?: Authorizer | undefined;
  timers?: IntervalTimers | undefined;
  /** Largest accepted request body; default 16 MiB (a large ACCEPT is well below 1 MiB). */
  maxRequestBytes?: number | undefined;
  /** Unsent bytes after which a stream whose reader stalled is dropped; default 64 MiB. */
  maxStreamBufferedBytes?: number | undefined;
  log?: ApiLogger | undefined;
  /** Request counts and latencies by API, call and status (Prometheus). */
  requestMetrics?: RequestMetrics | undefined;
}

export const DEFAULT_SCHEDULER_HEARTBEAT_SECONDS = 5;
export const DEFAULT_OPERATOR_HEARTBEAT_SECONDS = 15;

type Route =
  | { kind: "scheduler" }
  | { kind: "operator" }
  | { kind: "legacy"; endpoint: LegacyEndpoint }
  | { kind: "maintenance"; endpoint: MaintenanceEndpoint }
  | { kind: "not-found" };

/** Where a path goes. libprocess serves both `/x` and `/master/x`, and ignores a trailing slash. */
export function routeOf(pathname: string): Route {
  const path = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
  const local = path.startsWith("/master/") ? path.slice("/master".length) : path;
  if (local === "/api/v1/scheduler") return { kind: "scheduler" };
  if (local === "/api/v1") return { kind: "operator" };
  if (local === "/metrics/snapshot" && path === local) return { kind: "legacy", endpoint: "metrics" };
  const name = local.slice(1);
  if ((LEGACY_ENDPOINTS as readonly string[]).includes(name) && name !== "metrics")
    return { kind: "legacy", endpoint: name as LegacyEndpoint };
  if ((MAINTENANCE_ENDPOINTS as readonly string[]).includes(name))
    return { kind: "maintenance", endpoint: name as MaintenanceEndpoint };
  // `/redirect/<anything>` is a 404 in Mesos (loop prevention); so is everything unknown.
  return { kind: "not-found" };
}

export class MesosApiServer {
  readonly server: Server;
  readonly metrics = new ApiMetrics();
  private readonly scheduler: SchedulerApi;
  private readonly operatorStreams: OperatorStreams;
  private readonly operator: OperatorApi;
  private readonly legacy: LegacyEndpoints;
  private readonly maintenance: MaintenanceEndpoints;
  private readonly log: ApiLogger;

  constructor(private readonly options: MesosApiServerOptions) {
    const backend = options.backend;
    const timers = options.timers ?? REAL_INTERVAL_TIMERS;
    const maxRequestBytes = options.maxRequestBytes ?? 16 * 1024 * 1024;
    const maxBufferedBytes = options.maxStreamBufferedBytes ?? 64 * 1024 * 1024;
    this.log = options.log ?? SILENT_LOGGER;
    const metrics = () => this.allMetrics();
    this.scheduler = new SchedulerApi({
      admission: {
        backend,
        authentication: options.authentication,
        authenticationRequired: options.authentication?.frameworks ?? false,
        realm: SCHEDULER_REALM,
        maxRequestBytes,
      },
      heartbeatSeconds: options.schedulerHeartbeatSeconds ?? DEFAULT_SCHEDULER_HEARTBEAT_SECONDS,
      timers,
      maxBufferedBytes,
      metrics: this.metrics,
      log: this.log,
      authorizer: options.authorizer,
    });
    this.operatorStreams = new OperatorStreams({
      backend,
      heartbeatSeconds: options.operatorHeartbeatSeconds ?? DEFAULT_OPERATOR_HEARTBEAT_SECONDS,
      maxSubscribers: options.maxOperatorSubscribers ?? 1000,
      authorizer: options.authorizer,
      timers,
      maxBufferedBytes,
      log: this.log,
    });
    this.operator = new OperatorApi({
      admission: {
        backend,
        authentication: options.authentication,
        authenticationRequired: options.authentication?.operators ?? false,
        realm: READWRITE_REALM,
        maxRequestBytes,
      },
      streams: this.operatorStreams,
      metrics,
      log: this.log,
      authorizer: options.authorizer,
    });
    this.legacy = new LegacyEndpoints({
      backend,
      authentication: options.authentication,
      metrics,
      log: this.log,
      authorizer: options.authorizer,
    });
    this.maintenance = new MaintenanceEndpoints({
      backend,
      authentication: options.authentication,
      authorizer: options.authorizer,
      maxRequestBytes,
      log: this.log,
    });
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.log.error({ err: error, url: req.url }, "request failed");
        if (!res.headersSent) replyText(res, 500, "Internal error");
        else res.destroy();
      });
    });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const route = routeOf(url.pathname);
    const metrics = this.options.requestMetrics;
    if (metrics !== undefined) {
      if (route.kind === "scheduler" || route.kind === "operator")
        observeResponse(res, route.kind, "UNPARSED", metrics);
      else
        observeResponse(res, "endpoint", route.kind === "not-found" ? "not-found" : route.endpoint, metrics);
    }
    switch (route.kind) {
      case "scheduler":
        return this.scheduler.handle(req, res);
      case "operator":
        return this.operator.handle(req, res);
      case "legacy":
        return this.legacy.handle(req, res, route.endpoint, url.searchParams);
      case "maintenance":
        return this.maintenance.handle(req, res, route.endpoint, url.searchParams);
      case "not-found":
        return replyText(res, 404);
    }
  }

  /** Listen on `port` (0 = any free port) and resolve with the address. */
  listen(port: number, host?: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /**
   * End every scheduler and operator stream, e.g. when this replica stops leading: clients then
   * re-subscribe and are sent to the new leader. The state side is not told of these closes.
   */
  endAllStreams(): void {
    this.scheduler.streams.closeAll();
    this.operatorStreams.closeAll();
  }

  /** Scheduler event streams currently registered (one per connected framework). */
  get schedulerStreams(): number {
    return this.scheduler.streams.size;
  }

  /** End every stream and stop listening. */
  close(): Promise<void> {
    this.endAllStreams();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  /** The backend's metrics with the HTTP layer's on top. */
  async allMetrics(): Promise<Record<string, number>> {
    const backend = this.options.backend;
    return {
      ...(await backend.metrics()),
      ...this.metrics.render(
        (id) => backend.registeredFramework(id),
        (id) => this.scheduler.streams.get(id) !== undefined,
        this.operatorStreams.size,
      ),
    };
  }
}
