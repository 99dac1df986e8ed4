// Where an agent says it is, as Mesos messages: its attributes (node labels, semantics.md §2.4 —
// copied into every offer from the agent, as Mesos does) and its fault domain (region and zone
// labels; Mesos's DomainInfo needs both).
import type { Attribute as AgentAttribute } from "../../allocator/index.ts";
import type { DomainInfo } from "./offer.ts";
import type { Attribute } from "./resource.ts";

// An agent's attribute list is one array shared by all its offers: converted once, not per offer.
const converted = new WeakMap<readonly AgentAttribute[], Attribute[]>();

export function toWireAttributes(attributes: readonly AgentAttribute[]): Attribute[] {
  let wire = converted.get(attributes);
  if (wire === undefined) {
    wire = attributes.map(toWireAttribute);
    converted.set(attributes, wire);
  }
  return wire;
}

function toWireAttribute(a: AgentAttribute): Attribute {
  switch (a.type) {
    case "SCALAR":
      return { name: a.name, type: "SCALAR", scalar: { value: a.scalar ?? 0 } };
    case "RANGES":
      return { name: a.name, type: "RANGES", ranges: { range: (a.ranges ?? []).map((r) => ({ ...r })) } };
    case "SET":
      return { name: a.name, type: "SET", set: { item: [...(a.set ?? [])] } };
    case "TEXT":
      return { name: a.name, type: "TEXT", text: { value: a.text ?? "" } };
  }
}

export function toWireDomain(
  domain: { region?: string | undefined; zone?: string | undefined } | undefined,
): DomainInfo | undefined {
  if (domain?.region === undefined || domain.zone === undefined) return undefined;
  return { fault_domain: { region: { name: domain.region }, zone: { name: domain.zone } } };
}
