// Kubernetes Node (plain V1Node-shaped object) → agent input (DESIGN.md "The mapping";
// semantics.md §4.13). Pure: no client library, so the allocator stays free of I/O.
import { type LabelSelector, matchesSelector } from "./agentSelector.ts";
import type { AgentSpec, Attribute } from "./inputModel.ts";
import { DEFAULT_RESOURCE_MAPPING, kubeToMesosScalars, type ResourceMapping } from "./kubeResources.ts";
import { nodeDrain } from "./nodeDrain.ts";
import { nodeMaintenance } from "./nodeMaintenance.ts";
import { type Range, Resources } from "./resources.ts";
import { parseResources } from "./resourceText.ts";

/** The parts of a V1Node the translation reads. */
export interface NodeLike {
  metadata?: {
    name?: string | undefined;
    uid?: string | undefined;
    labels?: Readonly<Record<string, string>> | undefined;
    annotations?: Readonly<Record<string, string>> | undefined;
  };
  spec?: { unschedulable?: boolean | undefined };
  status?: {
    allocatable?: Readonly<Record<string, string>> | undefined;
    addresses?: readonly { type: string; address: string }[] | undefined;
  };
}

export interface NodeToAgentOptions {
  /** Host ports offered as the `ports` resource; Mesos agents default to [31000-32000]. */
  portRanges?: readonly Range[] | undefined;
  /** Which nodes are agents; absent = all. */
  agentSelector?: LabelSelector | undefined;
  /** Kubernetes resource → Mesos resource; defaults to cpu, memory, ephemeral-storage, nvidia.com/gpu. */
  resourceMapping?: ResourceMapping | undefined;
  /**
   * Annotation holding static reservations in the agent flag form (`cpus(ads):2;mem(ads):1024`),
   * carved out of the node's allocatable like an agent's --resources with roles.
   */
  reservationsAnnotation?: string | undefined;
}

export const DEFAULT_PORT_RANGES: readonly Range[] = [{ begin: 31000, end: 32000 }];
export const DEFAULT_RESERVATIONS_ANNOTATION = "mesos.operator.dev/reservations";
/**
 * Set (to the time) by the operator API's MARK_AGENT_GONE: the node is never an agent again, and
 * its tasks are gone (TASK_GONE_BY_OPERATOR). Remove it by hand to bring the node back as a new
 * agent only after deleting and re-creating the Node (Mesos never takes a gone agent back).
 */
export const AGENT_GONE_ANNOTATION = "mesos.operator.dev/agent-gone";

/** Whether an operator marked the node's agent gone. */
export const isMarkedGone = (node: NodeLike): boolean =>
  node.metadata?.annotations?.[AGENT_GONE_ANNOTATION] !== undefined;
const REGION_LABEL = "topology.kubernetes.io/region";
const ZONE_LABEL = "topology.kubernetes.io/zone";

/** Mesos agent IDs look like `<uuid>-S<n>`; tools parse that shape, so keep it. */
export function agentIdForNode(node: NodeLike): string {
  const uid = node.metadata?.uid;
  return uid ? `${uid}-S0` : `${node.metadata?.name ?? "unknown"}-S0`;
}

/** A label value becomes a SCALAR attribute when it reads as a number, else TEXT (as agent --attributes). */
export function labelToAttribute(name: string, value: string): Attribute {
  if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) return { name, type: "SCALAR", scalar: Number(value) };
  return { name, type: "TEXT", text: value };
}

/** The agent for `node`, or undefined when the agent selector leaves it out. */
export function nodeToAgent(node: NodeLike, options: NodeToAgentOptions = {}): AgentSpec | undefined {
  const labels = node.metadata?.labels ?? {};
  if (!matchesSelector(labels, options.agentSelector) || isMarkedGone(node)) return undefined;
  // A machine brought DOWN for maintenance has no agent until STOP_MAINTENANCE (Mesos removes it).
  const maintenance = nodeMaintenance(node);
  if (maintenance?.mode === "DOWN") return undefined;
  const nodeName = node.metadata?.name ?? "";
  const scalars = kubeToMesosScalars(
    node.status?.allocatable,
    options.resourceMapping ?? DEFAULT_RESOURCE_MAPPING,
  );
  let resources = Resources.scalars(scalars);
  const ports = options.portRanges ?? DEFAULT_PORT_RANGES;
  if (ports.length > 0) resources = resources.plus(Resources.ranges("ports", ports));

  const annotation = options.reservationsAnnotation ?? DEFAULT_RESERVATIONS_ANNOTATION;
  const reservedText = node.metadata?.annotations?.[annotation];
  if (reservedText !== undefined && reservedText.trim() !== "") {
    // Reservations come out of the unreserved pool; one that does not fit is left out whole.
    for (const entry of parseResources(reservedText).reserved().entries) {
      const one = Resources.fromEntries([entry]);
      const flat = one.flatten();
      if (resources.unreserved().contains(flat)) resources = resources.minus(flat).plus(one);
    }
  }

  const hostname = node.status?.addresses?.find((a) => a.type === "Hostname")?.address ?? nodeName;
  const attributes = Object.keys(labels)
    .sort()
    .map((k) => labelToAttribute(k, labels[k]!));
  const region = labels[REGION_LABEL];
  const zone = labels[ZONE_LABEL];
  const agent: AgentSpec = {
    id: agentIdForNode(node),
    hostname,
    nodeName,
    resources,
    attributes,
    // DRAIN_AGENT deactivates the agent until REACTIVATE_AGENT, even if the cordon is lifted meanwhile.
    unschedulable: node.spec?.unschedulable === true || nodeDrain(node) !== undefined,
  };
  if (region !== undefined || zone !== undefined) agent.domain = { region, zone };
  if (maintenance !== undefined) agent.unavailability = maintenance.unavailability;
  return agent;
}
