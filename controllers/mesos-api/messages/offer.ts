// Offer and InverseOffer as sent in OFFERS / INVERSE_OFFERS events (semantics.md §2.3). Built by
// the state side; only typed here. mesos-framework dereferences `url.address.ip` unconditionally,
// so offers must carry a URL.
import type { Id } from "./ids.ts";
import type { Unavailability } from "./maintenance.ts";
import type { Attribute, Resource } from "./resource.ts";

export interface Address {
  hostname?: string | undefined;
  ip?: string | undefined;
  port: number;
}

export interface Url {
  scheme: string;
  address: Address;
  path?: string | undefined;
}

export interface DomainInfo {
  fault_domain?: { region: { name: string }; zone: { name: string } } | undefined;
}

export interface Offer {
  id: Id;
  framework_id: Id;
  agent_id: Id;
  hostname: string;
  url?: Url | undefined;
  domain?: DomainInfo | undefined;
  resources: Resource[];
  attributes?: Attribute[] | undefined;
  executor_ids?: Id[] | undefined;
  unavailability?: Unavailability | undefined;
  /** Cleared for frameworks without MULTI_ROLE. */
  allocation_info?: { role: string } | undefined;
}

export interface InverseOffer {
  id: Id;
  url?: Url | undefined;
  framework_id: Id;
  agent_id?: Id | undefined;
  unavailability: Unavailability;
  /** Empty means the whole agent (always, for maintenance). */
  resources?: Resource[] | undefined;
}
