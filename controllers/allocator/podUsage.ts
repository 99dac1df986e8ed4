// Kubernetes Pod (plain V1Pod-shaped object) → the resources it holds on its node, computed the way
// the kube-scheduler does (k8s.io/component-helpers resource.PodRequests): the larger of the
// regular containers (plus running sidecars) and the largest init step, plus pod overhead. Terminal
// pods hold nothing. Host ports count against the agent's `ports` resource.
import { DEFAULT_RESOURCE_MAPPING, kubeToMesosScalars, type ResourceMapping } from "./kubeResources.ts";
import { Resources } from "./resources.ts";

export interface ContainerLike {
  resources?: {
    requests?: Readonly<Record<string, string>> | undefined;
    limits?: Readonly<Record<string, string>> | undefined;
  };
  ports?: readonly { hostPort?: number | undefined }[] | undefined;
  /** "Always" on an init container makes it a sidecar that keeps running beside the containers. */
  restartPolicy?: string | undefined;
}

/** The parts of a V1Pod the translation reads. */
export interface PodLike {
  metadata?: { namespace?: string | undefined; name?: string | undefined };
  spec?: {
    nodeName?: string | undefined;
    containers?: readonly ContainerLike[] | undefined;
    initContainers?: readonly ContainerLike[] | undefined;
    overhead?: Readonly<Record<string, string>> | undefined;
  };
  status?: { phase?: string | undefined };
}

type Scalars = Record<string, number>;

function add(a: Scalars, b: Scalars): Scalars {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function max(a: Scalars, b: Scalars): Scalars {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = Math.max(out[k] ?? 0, v);
  return out;
}

function containerRequests(c: ContainerLike, mapping: ResourceMapping): Scalars {
  // The API server defaults requests to limits when only limits are set; do the same for raw objects.
  const limits = kubeToMesosScalars(c.resources?.limits, mapping);
  return { ...limits, ...kubeToMesosScalars(c.resources?.requests, mapping) };
}

export const isTerminalPod = (pod: PodLike): boolean =>
  pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";

/** Effective scalar requests of a pod in Mesos units (`{cpus, mem, disk, gpus}`). */
export function podRequests(pod: PodLike, mapping: ResourceMapping = DEFAULT_RESOURCE_MAPPING): Scalars {
  let containers: Scalars = {};
  for (const c of pod.spec?.containers ?? []) containers = add(containers, containerRequests(c, mapping));
  let sidecars: Scalars = {};
  let initMax: Scalars = {};
  for (const c of pod.spec?.initContainers ?? []) {
    const req = containerRequests(c, mapping);
    if (c.restartPolicy === "Always") {
      // A sidecar runs from its start on, beside every later init container and the containers.
      sidecars = add(sidecars, req);
      initMax = max(initMax, sidecars);
    } else {
      initMax = max(initMax, add(req, sidecars));
    }
  }
  return add(max(add(containers, sidecars), initMax), kubeToMesosScalars(pod.spec?.overhead, mapping));
}

/** Host ports the pod binds (they are taken from the agent's `ports` resource). */
export function podHostPorts(pod: PodLike): number[] {
  const ports = new Set<number>();
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])])
    for (const p of c.ports ?? []) if (p.hostPort !== undefined && p.hostPort > 0) ports.add(p.hostPort);
  return [...ports].sort((a, b) => a - b);
}

/** Resources the pod holds on its node; empty for terminal pods and pods not bound to a node. */
export function podUsage(pod: PodLike, mapping: ResourceMapping = DEFAULT_RESOURCE_MAPPING): Resources {
  if (isTerminalPod(pod) || !pod.spec?.nodeName) return Resources.EMPTY;
  const scalars = Resources.scalars(podRequests(pod, mapping));
  const ports = podHostPorts(pod);
  return ports.length === 0
    ? scalars
    : scalars.plus(
        Resources.ranges(
          "ports",
          ports.map((p) => ({ begin: p, end: p })),
        ),
      );
}

/** The usage key of a pod: `namespace/name`. */
export const podKey = (pod: PodLike): string =>
  `${pod.metadata?.namespace ?? "default"}/${pod.metadata?.name ?? ""}`;
