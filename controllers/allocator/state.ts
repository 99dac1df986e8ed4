// The allocator's bookkeeping records and how they point at each other. A "client" is one
// (framework, role) pair: the unit the framework sorter of a role orders, filters apply to and
// offers are made to.
import type { AgentState } from "./agents.ts";
import type { FrameworkSpec, UsageOwner } from "./inputModel.ts";
import type { Offer } from "./offers.ts";
import type { Quantities } from "./quantities.ts";
import type { Resources } from "./resources.ts";
import type { Sorter } from "./sorter.ts";

export interface FrameworkState {
  readonly id: string;
  spec: FrameworkSpec;
  active: boolean;
  readonly clients: Map<string, Client>;
  readonly suppressed: Set<string>;
  gpuResources: boolean;
  multiRole: boolean;
  reservationRefinement: boolean;
  regionAware: boolean;
  partitionAware: boolean;
  minAllocatable: ReadonlyMap<string, readonly Quantities[]>;
}

export interface RoleState {
  readonly name: string;
  readonly frameworkSorter: Sorter<Client>;
  /** Clients by framework id. */
  readonly clients: Map<string, Client>;
}

export interface Client {
  readonly fw: FrameworkState;
  readonly role: RoleState;
  /** Path in the role's framework sorter: the framework id with `/` escaped (sorter paths nest on `/`). */
  readonly sorterPath: string;
  readonly offers: Set<OfferRecord>;
  readonly filters: Set<OfferFilter>;
  readonly usage: Set<UsageRecord>;
}

/** Resources a pod (or a task being launched) holds on a node. */
export interface UsageRecord {
  readonly key: string;
  readonly nodeName: string;
  readonly resources: Resources;
  readonly owner: UsageOwner | undefined;
  agent: AgentState | null;
  client: Client | null;
}

export interface OfferRecord {
  readonly offer: Offer;
  readonly client: Client;
  readonly agent: AgentState;
}

/** A refused-resources filter (Mesos RefusedOfferFilter) for one client on one agent. */
export interface OfferFilter {
  readonly client: Client;
  readonly agent: AgentState;
  readonly refused: Resources;
  /** Not before this time (ms) … */
  readonly expiresAt: number;
  /** … and not before one allocation cycle has seen it (MESOS-4302). */
  readonly installedCycle: number;
  /**
   * Agent epoch at which the filter was known to cover everything the agent could offer this
   * client; while the agent has not grown since, the filter holds without a subset check.
   */
  coverEpoch: number;
  removed: boolean;
}
