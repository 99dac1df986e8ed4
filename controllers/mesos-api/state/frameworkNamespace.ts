// The namespace of a Mesos-API framework's objects (Framework, its Tasks, Offers and pods), chosen
// when it first subscribes (--framework-namespace-from). The map is explicit, with no "namespace
// named after the principal" default: a namespace is a security boundary (its service accounts,
// quotas and policies apply to the task pods), so which principal lands where is the operator's
// decision, never a client's choice of name.
import type { Config } from "../../config.ts";
import type { FrameworkInfo } from "../messages/frameworkInfo.ts";
import { rolesOf } from "./mapping.ts";

export interface FrameworkNamespaceRule {
  from: "fixed" | "principal" | "role";
  /** The fixed namespace, and the one for frameworks the map does not cover. */
  fallback: string;
  /** Principal → namespace or role → namespace. */
  map: ReadonlyMap<string, string>;
}

export function frameworkNamespaceRule(
  config: Pick<
    Config,
    "frameworkNamespaceFrom" | "frameworkNamespace" | "frameworkNamespaces" | "leaseNamespace"
  >,
): FrameworkNamespaceRule {
  return {
    from: config.frameworkNamespaceFrom,
    fallback: config.frameworkNamespace ?? config.leaseNamespace,
    map: config.frameworkNamespaces,
  };
}

/** A role and its ancestors, most specific first: "a/b/c", "a/b", "a". */
function selfAndAncestors(role: string): string[] {
  const parts = role.split("/");
  return parts.map((_p, i) => parts.slice(0, parts.length - i).join("/"));
}

/**
 * The namespace for a subscribing framework. By principal: `FrameworkInfo.principal`, else the
 * authenticated one. By role: the first of the framework's roles (in its order) that the map
 * covers, a role being covered by an entry for it or for any of its ancestors.
 */
export function frameworkNamespaceFor(
  rule: FrameworkNamespaceRule,
  info: FrameworkInfo,
  authenticatedPrincipal: string | undefined,
): string {
  if (rule.from === "principal") {
    const principal = info.principal ?? authenticatedPrincipal;
    return (principal === undefined ? undefined : rule.map.get(principal)) ?? rule.fallback;
  }
  if (rule.from === "role") {
    for (const role of rolesOf(info))
      for (const key of selfAndAncestors(role)) {
        const namespace = rule.map.get(key);
        if (namespace !== undefined) return namespace;
      }
  }
  return rule.fallback;
}
