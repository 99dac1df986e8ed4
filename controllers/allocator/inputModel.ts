// The plain input model of the allocator. The controllers translate Kubernetes objects into these
// (nodeToAgent.ts and podUsage.ts do the resource arithmetic); the allocator never sees a
// Kubernetes object.
import type { Quantities } from "./quantities.ts";
import type { Range, Resources } from "./resources.ts";

/** A Mesos agent attribute (from a node label), copied into every offer from the agent. */
export interface Attribute {
  name: string;
  type: "TEXT" | "SCALAR" | "RANGES" | "SET";
  text?: string | undefined;
  scalar?: number | undefined;
  ranges?: Range[] | undefined;
  set?: string[] | undefined;
}

export interface AgentSpec {
  /** Mesos AgentID. */
  id: string;
  hostname: string;
  /** The Kubernetes Node behind the agent; pods name it in spec.nodeName. */
  nodeName: string;
  /** Total resources: node allocatable in Mesos units plus the port range, with any static reservations. */
  resources: Resources;
  attributes?: readonly Attribute[] | undefined;
  /** Cordoned (spec.unschedulable): the agent is deactivated and offers nothing. */
  unschedulable?: boolean | undefined;
  domain?: { region?: string | undefined; zone?: string | undefined } | undefined;
  /** Scheduled maintenance (a DRAINING machine): offers carry it, and inverse offers go out. */
  unavailability?: Unavailability | undefined;
}

/** Mesos Unavailability: when a machine goes away (ns since the epoch) and for how long. */
export interface Unavailability {
  start: { nanoseconds: number };
  duration?: { nanoseconds: number } | undefined;
}

/** Whose a pod's resources are, for DRF shares and quota; absent for pods that are not tasks. */
export interface UsageOwner {
  frameworkId: string;
  role: string;
}

/**
 * Resources a pod holds on a node: requests of any non-terminal pod, ours or not. For our tasks the
 * controller passes the task's resources (with reservations) and the owner.
 */
export interface PodUsage {
  nodeName: string;
  resources: Resources;
  owner?: UsageOwner | undefined;
}

export type FrameworkCapability =
  | "REVOCABLE_RESOURCES"
  | "TASK_KILLING_STATE"
  | "GPU_RESOURCES"
  | "SHARED_RESOURCES"
  | "PARTITION_AWARE"
  | "MULTI_ROLE"
  | "RESERVATION_REFINEMENT"
  | "REGION_AWARE";

/** Offer constraints (semantics.md §1.8): per role, some group must have all constraints true. */
export interface AttributeConstraint {
  selector: { pseudoattributeType: "HOSTNAME" | "REGION" | "ZONE" } | { attributeName: string };
  predicate:
    | { exists: true }
    | { notExists: true }
    | { textEquals: string }
    | { textNotEquals: string }
    | { textMatches: string }
    | { textNotMatches: string };
}
export type OfferConstraints = Readonly<
  Record<string, readonly { attributeConstraints: readonly AttributeConstraint[] }[]>
>;

export interface FrameworkSpec {
  id: string;
  name?: string | undefined;
  /** Subscribed roles (a non-MULTI_ROLE framework has exactly one). */
  roles: readonly string[];
  capabilities?: readonly FrameworkCapability[] | undefined;
  /** Roles for which the framework wants no offers (SUPPRESS / suppressed_roles). */
  suppressedRoles?: readonly string[] | undefined;
  /** offer_filters[role].min_allocatable_resources: overrides the global minimum for that role. */
  minAllocatableResources?: Readonly<Record<string, readonly Quantities[]>> | undefined;
  offerConstraints?: OfferConstraints | undefined;
  /** Connected (subscribed) and not torn down. Inactive frameworks get no offers. Default true. */
  active?: boolean | undefined;
}

/** Quota of a top-level role, in Mesos units (`{ cpus: 4, mem: 8192 }`); a missing name has no limit. */
export interface QuotaConfig {
  guarantees?: Readonly<Record<string, number>> | undefined;
  limits?: Readonly<Record<string, number>> | undefined;
}
