// The Mesos HTTP API as leader-only work: while this replica leads, the façade listens on
// config.mesosApiPort over the ClusterBackend; when leadership ends, every connection is dropped
// (not reported as disconnections: the frameworks are not torn down by a failover of the operator)
// and every stream ended, so clients re-subscribe to the next leader.
import type { AllocationAccess } from "../../allocation/allocationLoop.ts";
import type { Cluster, LeaderRunnable } from "../../cluster/index.ts";
import type { SchedulingMetrics } from "../../cluster/schedulingMetrics.ts";
import type { Config } from "../../config.ts";
import type { SchedulerConnections } from "../../framework/schedulerConnections.ts";
import type { Logger } from "../../logging.ts";
import { aclsFileAuthorizer } from "../authorization/aclsFile.ts";
import { credentialsFileAuthentication } from "../http/credentialsFile.ts";
import { MesosApiServer } from "../http/mesosApiServer.ts";
import { ClusterBackend } from "./clusterBackend.ts";
import { frameworkNamespaceFor, frameworkNamespaceRule } from "./frameworkNamespace.ts";

export interface MesosApiRunnableOptions {
  config: Config;
  cluster: Pick<Cluster, "informers" | "writers">;
  access: AllocationAccess;
  log: Logger;
  isLeader: () => boolean;
  /** Host the master reports to clients (MasterInfo); default POD_IP or 127.0.0.1. */
  hostname?: string | undefined;
  /** The operator's scheduling metrics: request counts, and Mesos names in /metrics/snapshot. */
  metrics?: SchedulingMetrics | undefined;
  /** Subscriptions and closed streams, for the framework reconciler. */
  connections?: SchedulerConnections | undefined;
}

export function mesosApiRunnable(opts: MesosApiRunnableOptions): LeaderRunnable & {
  readonly backend: ClusterBackend | undefined;
} {
  const log = opts.log.child({ runnable: "mesos-api" });
  let server: MesosApiServer | undefined;
  let backend: ClusterBackend | undefined;
  return {
    name: "mesos-api",
    get backend() {
      return backend;
    },
    async start() {
      const namespaceRule = frameworkNamespaceRule(opts.config);
      backend = new ClusterBackend({
        namespaceFor: (info, principal) => frameworkNamespaceFor(namespaceRule, info, principal),
        config: opts.config,
        cluster: opts.cluster,
        access: opts.access,
        log: opts.log,
        isLeader: opts.isLeader,
        hostname: opts.hostname ?? process.env.POD_IP ?? "127.0.0.1",
        port: opts.config.mesosApiPort,
        metrics: opts.metrics,
        connections: opts.connections,
      });
      backend.start();
      const { authenticateHttpFrameworks, authenticateHttpOperators, credentialsFile } = opts.config;
      const authentication =
        credentialsFile === undefined
          ? undefined
          : await credentialsFileAuthentication({
              path: credentialsFile,
              frameworks: authenticateHttpFrameworks,
              operators: authenticateHttpOperators,
              onError: (err) =>
                log.error({ err: err.message }, "cannot reload the credentials file; keeping the last ones"),
            });
      const authorizer =
        opts.config.aclsFile === undefined
          ? undefined
          : await aclsFileAuthorizer({
              path: opts.config.aclsFile,
              onError: (err) =>
                log.error({ err: err.message }, "cannot reload the ACLs file; keeping the last ones"),
            });
      server = new MesosApiServer({
        backend,
        authentication,
        authorizer,
        requestMetrics: opts.metrics,
        log: {
          warn: (fields, message) => log.warn(fields, message),
          error: (fields, message) => log.error(fields, message),
        },
      });
      const address = await server.listen(opts.config.mesosApiPort);
      log.info({ port: address.port }, "serving the Mesos HTTP API");
    },
    async stop() {
      backend?.stop();
      const s = server;
      server = undefined;
      backend = undefined;
      if (s !== undefined) await s.close();
    },
  };
}
