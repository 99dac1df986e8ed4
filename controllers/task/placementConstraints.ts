// Marathon placement constraints (UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER) judged for one
// candidate agent against the peers already placed (Marathon's Constraints.scala). The field is
// "hostname" or an agent attribute (a node label). An agent without the attribute satisfies only
// UNLIKE, as in Marathon.

import type { Attribute } from "../allocator/index.ts";
import type { Constraint } from "../api/index.ts";

/** Where a task runs, or could run: the agent's hostname and attributes. */
export interface AgentLocation {
  hostname: string;
  attributes: readonly Attribute[];
}

/** An attribute's value as Marathon compares it: text, scalar, `[b-e,…]` or `{a,b}`. */
export function attributeText(a: Attribute): string {
  switch (a.type) {
    case "TEXT":
      return a.text ?? "";
    case "SCALAR":
      return String(a.scalar ?? 0);
    case "RANGES":
      return `[${(a.ranges ?? []).map((r) => `${r.begin}-${r.end}`).join(",")}]`;
    case "SET":
      return `{${(a.set ?? []).join(",")}}`;
  }
}

/** The value of `field` at `location`, or undefined when the agent has no such attribute. */
export function fieldValue(field: string, location: AgentLocation): string | undefined {
  if (field === "hostname") return location.hostname;
  const a = location.attributes.find((x) => x.name === field);
  return a === undefined ? undefined : attributeText(a);
}

/** Marathon regexes match the whole value; undefined when the pattern is not a valid regex. */
function fullMatch(pattern: string, value: string): boolean | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, "u").test(value);
  } catch {
    return undefined;
  }
}

/** Whether a task may go to `candidate`, given where its peers run. */
export function constraintAllows(
  c: Constraint,
  candidate: AgentLocation,
  peers: readonly AgentLocation[],
): boolean {
  const value = fieldValue(c.field, candidate);
  if (value === undefined) return c.operator === "UNLIKE";
  const peerValues = peers.map((p) => fieldValue(c.field, p));
  const sameValue = peerValues.filter((v) => v === value).length;
  switch (c.operator) {
    case "UNIQUE":
      return sameValue === 0;
    case "CLUSTER":
      return value === c.value;
    case "LIKE":
      return fullMatch(c.value ?? "", value) === true;
    case "UNLIKE":
      return fullMatch(c.value ?? "", value) === false;
    case "MAX_PER":
      return sameValue < Number(c.value);
    case "GROUP_BY": {
      // Spread evenly: go only to a group with no more peers than the emptiest group. With a group
      // count, groups not seen among the peers yet count as empty.
      const counts = new Map<string, number>();
      for (const v of peerValues) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
      const expected = c.value === undefined ? 0 : Number(c.value);
      const least = counts.size < expected || counts.size === 0 ? 0 : Math.min(...counts.values());
      return sameValue <= least;
    }
  }
}

/** `field:OPERATOR[:value]`, the Marathon text form, for messages. */
export const describeConstraint = (c: Constraint): string =>
  c.value === undefined ? `${c.field}:${c.operator}` : `${c.field}:${c.operator}:${c.value}`;
