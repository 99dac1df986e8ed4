// AgentInfo (mesos.proto), as in GET_AGENTS, operator events and offers' source agents.
import type { Id } from "./ids.ts";
import type { DomainInfo } from "./offer.ts";
import type { Attribute, Resource } from "./resource.ts";

export interface AgentInfo {
  hostname: string;
  /** 5051 by default in Mesos. */
  port?: number | undefined;
  resources?: Resource[] | undefined;
  attributes?: Attribute[] | undefined;
  id?: Id | undefined;
  domain?: DomainInfo | undefined;
}
