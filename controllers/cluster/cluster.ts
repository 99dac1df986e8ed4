// Everything the reconcilers get from the cluster side, built in one place: the kubeconfig, the
// informers (caches) of nodes, pods and our four kinds, typed writers, and the Event recorder.
// Informers are created here but started by main.ts, so every replica — leader or standby — keeps
// warm caches and a takeover does not wait for a full list.
import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  type KubeConfig,
} from "@kubernetes/client-node";
import {
  type Framework,
  FrameworkKind,
  type Offer,
  OfferKind,
  type Role,
  RoleKind,
  type Task,
  TaskKind,
} from "../api/index.ts";
import type { Logger } from "../logging.ts";
import { ConfigMapWriter } from "./configMaps.ts";
import { CustomResourceClient } from "./customObjects.ts";
import type { EventMetrics } from "./events.ts";
import { EventRecorder } from "./events.ts";
import { Informer, type InformerControl, type InformerMetrics } from "./informer.ts";
import { KubeHttp } from "./kubeHttp.ts";
import { kubeListWatchSource } from "./listWatchSource.ts";
import type { Node } from "./nodeSchema.ts";
import { NodeWriter } from "./nodes.ts";
import type { Pod } from "./podSchema.ts";
import { PodWriter } from "./pods.ts";
import { PooledKubeConfig } from "./pooledKubeConfig.ts";
import { customResource, nodesResource, podsResource, type ResourceDescriptor } from "./resources.ts";
import type { ObjectWithMeta } from "./store.ts";

/** SSA field manager and Event reporting controller. */
export const FIELD_MANAGER = "mesos-operator";
export const REPORTING_CONTROLLER = "mesos.operator.dev/mesos-operator";

export interface Informers {
  nodes: Informer<Node>;
  pods: Informer<Pod>;
  frameworks: Informer<Framework>;
  offers: Informer<Offer>;
  tasks: Informer<Task>;
  roles: Informer<Role>;
}

export interface Writers {
  frameworks: CustomResourceClient<typeof FrameworkKind.schema>;
  offers: CustomResourceClient<typeof OfferKind.schema>;
  tasks: CustomResourceClient<typeof TaskKind.schema>;
  roles: CustomResourceClient<typeof RoleKind.schema>;
  pods: PodWriter;
  nodes: NodeWriter;
  configMaps: ConfigMapWriter;
}

export interface Cluster {
  kubeConfig: KubeConfig;
  informers: Informers;
  writers: Writers;
  events: EventRecorder;
  coordination: CoordinationV1Api;
  /** Every informer, for starting, stopping and health checks. */
  allInformers(): InformerControl[];
}

export interface ClusterOptions {
  kubeConfig: KubeConfig;
  /** Identity of this replica (Events' reportingInstance). */
  identity: string;
  log: Logger;
  informerMetrics?: InformerMetrics;
  eventMetrics?: EventMetrics;
  relistIntervalMs: number;
  resyncIntervalMs: number;
  stallTimeoutMs: number;
}

/** Kubeconfig from a file, or the standard lookup ($KUBECONFIG, ~/.kube/config, in-cluster). */
export function loadKubeConfig(path: string | undefined): KubeConfig {
  const kc = new PooledKubeConfig();
  if (path) kc.loadFromFile(path);
  else kc.loadFromDefault();
  if (!kc.getCurrentCluster())
    throw new Error("no Kubernetes cluster configured (kubeconfig has no current cluster)");
  return kc;
}

export function connectCluster(opts: ClusterOptions): Cluster {
  const kc = opts.kubeConfig;
  const http = new KubeHttp(kc);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);

  function informer<T extends ObjectWithMeta>(r: ResourceDescriptor<T>): Informer<T> {
    return new Informer<T>({
      name: r.name,
      source: kubeListWatchSource(http, { path: r.path }),
      decode: r.decode,
      indexers: r.indexers,
      log: opts.log,
      metrics: opts.informerMetrics,
      relistIntervalMs: opts.relistIntervalMs,
      resyncIntervalMs: opts.resyncIntervalMs,
      stallTimeoutMs: opts.stallTimeoutMs,
    });
  }

  const informers: Informers = {
    nodes: informer(nodesResource()),
    pods: informer(podsResource()),
    frameworks: informer(customResource(FrameworkKind)),
    offers: informer(customResource(OfferKind)),
    tasks: informer(customResource(TaskKind)),
    roles: informer(customResource(RoleKind)),
  };
  return {
    kubeConfig: kc,
    informers,
    writers: {
      frameworks: new CustomResourceClient(custom, FrameworkKind, FIELD_MANAGER),
      offers: new CustomResourceClient(custom, OfferKind, FIELD_MANAGER),
      tasks: new CustomResourceClient(custom, TaskKind, FIELD_MANAGER),
      roles: new CustomResourceClient(custom, RoleKind, FIELD_MANAGER),
      pods: new PodWriter(core, FIELD_MANAGER),
      nodes: new NodeWriter(core, FIELD_MANAGER),
      configMaps: new ConfigMapWriter(core, FIELD_MANAGER),
    },
    events: new EventRecorder({
      events: kc.makeApiClient(EventsV1Api),
      controller: REPORTING_CONTROLLER,
      instance: opts.identity,
      log: opts.log,
      metrics: opts.eventMetrics,
    }),
    coordination: kc.makeApiClient(CoordinationV1Api),
    allInformers: () => Object.values(informers),
  };
}
