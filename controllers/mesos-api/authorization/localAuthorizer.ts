// Mesos's local authorizer (src/authorizer/local/authorizer.cpp), pure: given the ACLs and one
// request, allowed or not. The first ACL whose subject and object both *match* the request
// decides, by whether they both *allow* it; when none matches, `permissive` decides. Role ACLs
// are hierarchical: a value "a/%" covers every role below "a" (not "a" itself).
import type { AclField, Acls, Entity, GenericAcl } from "./acls.ts";

/** What is asked, named by the ACL field that governs it. `principal` undefined = no principal (ANY). */
export type AuthorizationRequest =
  | { acl: "register_frameworks"; principal: string | undefined; roles: readonly string[] }
  | {
      acl: "teardown_frameworks";
      principal: string | undefined;
      /** The principal of the framework to tear down; undefined when it has none. */
      frameworkPrincipal: string | undefined;
    }
  | { acl: "update_weights" | "update_quotas"; principal: string | undefined; role: string }
  /** Launching a task as `user` (the task's, else its executor's, else the framework's user). */
  | { acl: "run_tasks"; principal: string | undefined; user: string }
  /** Seeing a framework, task or executor in the state, by the user it runs as. */
  | { acl: "view_frameworks" | "view_tasks" | "view_executors"; principal: string | undefined; user: string }
  /** Seeing a role (its weight, allocation) or its quota in the state. */
  | { acl: "view_roles" | "get_quotas"; principal: string | undefined; role: string }
  /** Reserving resources for `role` (the most refined reservation's role). */
  | { acl: "reserve_resources"; principal: string | undefined; role: string }
  /** Unreserving resources reserved by `reserverPrincipal` (undefined: reserved without one). */
  | { acl: "unreserve_resources"; principal: string | undefined; reserverPrincipal: string | undefined }
  | {
      acl:
        | "mark_agents_gone"
        | "drain_agents"
        | "deactivate_agents"
        | "reactivate_agents"
        | "update_maintenance_schedules"
        | "start_maintenances"
        | "stop_maintenances"
        | "get_maintenance_schedules"
        | "get_maintenance_statuses"
        | "view_flags";
      principal: string | undefined;
    };

const ANY: Entity = { type: "ANY", values: [] };
const some = (value: string): Entity => ({ type: "SOME", values: [value] });

const subset = (request: Entity, acl: Entity): boolean => request.values.every((v) => acl.values.includes(v));

/**
 * Does the ACL entity concern the request entity? NONE and ANY in the ACL concern every
 * request but NONE-only-NONE; SOME concerns a SOME request whose values it all lists.
 */
export function matches(request: Entity, acl: Entity): boolean {
  if (request.type === "NONE") return acl.type === "NONE";
  if (request.type === "ANY") return acl.type === "ANY" || acl.type === "NONE";
  if (acl.type === "ANY" || acl.type === "NONE") return true;
  return subset(request, acl);
}

/** Does the (matching) ACL entity grant the request entity? NONE grants nothing but NONE. */
export function allows(request: Entity, acl: Entity): boolean {
  if (request.type === "NONE") return acl.type === "NONE";
  if (request.type === "ANY") return acl.type === "ANY";
  if (acl.type === "ANY") return true;
  if (acl.type === "NONE") return false;
  return subset(request, acl);
}

function firstMatch(
  acls: readonly GenericAcl[],
  subject: Entity,
  object: Entity,
  permissive: boolean,
): boolean {
  for (const acl of acls)
    if (matches(subject, acl.principals) && matches(object, acl.object))
      return allows(subject, acl.principals) && allows(object, acl.object);
  return permissive;
}

const isRecursive = (acl: GenericAcl): boolean =>
  acl.object.type === "SOME" && acl.object.values.length === 1 && acl.object.values[0]!.endsWith("/%");

/**
 * createHierarchicalRoleACLs: an ACL listing roles is split into one ACL per "x/%" value and one
 * for the plain values, in place (the order of first matches is unchanged).
 */
export function splitRoleAcls(acls: readonly GenericAcl[]): GenericAcl[] {
  const out: GenericAcl[] = [];
  for (const acl of acls) {
    if (acl.object.type !== "SOME") {
      out.push(acl);
      continue;
    }
    const plain = acl.object.values.filter((v) => !v.endsWith("/%"));
    for (const v of acl.object.values)
      if (v.endsWith("/%")) out.push({ principals: acl.principals, object: some(v) });
    if (plain.length > 0) out.push({ principals: acl.principals, object: { type: "SOME", values: plain } });
  }
  return out;
}

/** LocalHierarchicalRoleApprover::approved for one role (or ANY). */
function roleApproved(
  acls: readonly GenericAcl[],
  subject: Entity,
  object: Entity,
  permissive: boolean,
): boolean {
  for (const acl of acls) {
    if (!isRecursive(acl)) {
      if (matches(subject, acl.principals) && matches(object, acl.object))
        return allows(subject, acl.principals) && allows(object, acl.object);
    } else if (object.type === "SOME" && object.values[0]!.startsWith(acl.object.values[0]!.slice(0, -1))) {
      // A role strictly below "x/" (the value minus its "%"): only the subject is left to check.
      if (matches(subject, acl.principals)) return allows(subject, acl.principals);
    }
  }
  return permissive;
}

/** Is `request` allowed by `acls`? */
export function authorize(acls: Acls, request: AuthorizationRequest): boolean {
  const subject = request.principal === undefined ? ANY : some(request.principal);
  const list = acls.lists[request.acl as AclField];
  switch (request.acl) {
    case "register_frameworks": {
      // The framework must be allowed every role it asks for (no roles: `permissive` decides).
      if (request.roles.length === 0) return acls.permissive;
      const split = splitRoleAcls(list);
      return request.roles.every((role) => roleApproved(split, subject, some(role), acls.permissive));
    }
    case "update_weights":
    case "update_quotas":
    case "view_roles":
    case "get_quotas":
    case "reserve_resources":
      return roleApproved(splitRoleAcls(list), subject, some(request.role), acls.permissive);
    case "run_tasks":
    case "view_frameworks":
    case "view_tasks":
    case "view_executors":
      return firstMatch(list, subject, some(request.user), acls.permissive);
    case "unreserve_resources": {
      const object = request.reserverPrincipal === undefined ? ANY : some(request.reserverPrincipal);
      return firstMatch(list, subject, object, acls.permissive);
    }
    case "teardown_frameworks": {
      const object = request.frameworkPrincipal === undefined ? ANY : some(request.frameworkPrincipal);
      return firstMatch(list, subject, object, acls.permissive);
    }
    default:
      // Agent and maintenance actions have no object beyond "any" (their ACLs allow ANY or NONE).
      return firstMatch(list, subject, ANY, acls.permissive);
  }
}
