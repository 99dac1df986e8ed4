// Framework offer constraints (semantics.md §1.8): for role R an agent is offered only if some
// group of R's constraints has all of its constraints true. Mesos uses RE2; JavaScript RegExp
// agrees on the syntax frameworks use in practice (anchors, classes, alternation).
import type { AgentState } from "./agents.ts";
import type { AttributeConstraint, OfferConstraints } from "./inputModel.ts";

function selectText(
  agent: AgentState,
  c: AttributeConstraint,
): { exists: boolean; text: string | undefined } {
  const s = c.selector;
  if ("pseudoattributeType" in s) {
    const value =
      s.pseudoattributeType === "HOSTNAME"
        ? agent.hostname
        : s.pseudoattributeType === "REGION"
          ? agent.domain?.region
          : agent.domain?.zone;
    return { exists: value !== undefined, text: value };
  }
  // The first attribute of that name decides.
  const attr = agent.attributes.find((a) => a.name === s.attributeName);
  if (attr === undefined) return { exists: false, text: undefined };
  return { exists: true, text: attr.type === "TEXT" ? attr.text : undefined };
}

const regexCache = new Map<string, RegExp>();
function fullMatch(pattern: string, text: string): boolean {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    re = new RegExp(`^(?:${pattern})$`);
    regexCache.set(pattern, re);
  }
  return re.test(text);
}

function holds(agent: AgentState, c: AttributeConstraint): boolean {
  const { exists, text } = selectText(agent, c);
  const p = c.predicate;
  if ("exists" in p) return exists;
  if ("notExists" in p) return !exists;
  // Negated predicates hold for an absent attribute; every text predicate holds for a non-TEXT one.
  if (!exists) return "textNotEquals" in p || "textNotMatches" in p;
  if (text === undefined) return true;
  if ("textEquals" in p) return text === p.textEquals;
  if ("textNotEquals" in p) return text !== p.textNotEquals;
  if ("textMatches" in p) return fullMatch(p.textMatches, text);
  return !fullMatch(p.textNotMatches, text);
}

/** True when the constraints of `role` keep the agent out of offers for that role. */
export function isAgentExcluded(
  constraints: OfferConstraints | undefined,
  role: string,
  agent: AgentState,
): boolean {
  const groups = constraints?.[role];
  if (groups === undefined || groups.length === 0) return false;
  return !groups.some((g) => g.attributeConstraints.every((c) => holds(agent, c)));
}
