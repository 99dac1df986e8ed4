// Which authorization requests a Mesos API call makes, and what a refusal says: the glue between
// the HTTP layer's calls and the ACL checks (localAuthorizer.ts), after Mesos's master.cpp,
// http.cpp, weights_handler.cpp and quota_handler.cpp.
import { isValidRoleName } from "../../api/index.ts";
import type { OperatorChange } from "../backend.ts";
import type { FrameworkInfo } from "../messages/frameworkInfo.ts";
import { rolesOf } from "../state/mapping.ts";
import { type Authorizer, isAuthorized } from "./aclsFile.ts";
import type { AuthorizationRequest } from "./localAuthorizer.ts";
import { reserveRequests, unreserveRequests } from "./reservationAuthorization.ts";

/**
 * May the framework register (SUBSCRIBE, UPDATE_FRAMEWORK) with its roles? The subject is
 * `FrameworkInfo.principal` (Framework::createObjectApprovers). The roles are those the state side
 * registers (rolesOf), so a framework cannot be checked for one set of roles and given another.
 * Returns Mesos's refusal, or undefined when allowed. Invalid roles are not checked here: the
 * state side refuses them, and Mesos validates before it authorizes.
 */
export async function registrationRefusal(
  authorizer: Authorizer | undefined,
  info: FrameworkInfo,
): Promise<string | undefined> {
  if (authorizer === undefined) return undefined;
  const roles = rolesOf(info);
  if (!roles.every(isValidRoleName)) return undefined;
  const allowed = await isAuthorized(authorizer, {
    acl: "register_frameworks",
    principal: info.principal,
    roles,
  });
  if (allowed) return undefined;
  // `stringify(ActionObject)`: the framework id (empty for a new one) and the sorted role set.
  return `Not authorized to register framework ${info.id?.value ?? ""} with roles { ${[...roles].sort().join(", ")} }`;
}

/**
 * The requests an operator change makes, each of which must be allowed (Mesos answers a bare
 * 403 otherwise). `frameworkPrincipal` is the principal of the framework a TEARDOWN names. Calls
 * whose roles are invalid are left to the state side's 400, as Mesos validates them first.
 */
export function operatorChangeRequests(
  change: OperatorChange,
  principal: string | undefined,
  frameworkPrincipal: string | undefined,
): AuthorizationRequest[] {
  switch (change.type) {
    case "TEARDOWN":
      return [{ acl: "teardown_frameworks", principal, frameworkPrincipal }];
    case "UPDATE_WEIGHTS": {
      const roles = change.weightInfos.map((w) => w.role ?? "");
      if (!roles.every(isValidRoleName)) return [];
      return roles.map((role) => ({ acl: "update_weights", principal, role }));
    }
    case "UPDATE_QUOTA": {
      const roles = change.quotaConfigs.map((q) => q.role);
      if (!roles.every(isValidRoleName)) return [];
      return roles.map((role) => ({ acl: "update_quotas", principal, role }));
    }
    case "MARK_AGENT_GONE":
      return [{ acl: "mark_agents_gone", principal }];
    case "DRAIN_AGENT":
      // Draining with mark_gone also needs the right to mark agents gone (http.cpp drainAgent).
      return change.markGone
        ? [
            { acl: "drain_agents", principal },
            { acl: "mark_agents_gone", principal },
          ]
        : [{ acl: "drain_agents", principal }];
    case "DEACTIVATE_AGENT":
      return [{ acl: "deactivate_agents", principal }];
    case "REACTIVATE_AGENT":
      return [{ acl: "reactivate_agents", principal }];
    case "UPDATE_MAINTENANCE_SCHEDULE":
      return [{ acl: "update_maintenance_schedules", principal }];
    case "START_MAINTENANCE":
      return [{ acl: "start_maintenances", principal }];
    case "STOP_MAINTENANCE":
      return [{ acl: "stop_maintenances", principal }];
    case "RESERVE_RESOURCES":
      return reserveRequests(change.source, change.resources, principal);
    case "UNRESERVE_RESOURCES":
      return unreserveRequests(change.resources, principal);
  }
}

/** Are all `requests` allowed? */
export async function allAuthorized(
  authorizer: Authorizer,
  requests: readonly AuthorizationRequest[],
): Promise<boolean> {
  const approve = await authorizer.approver();
  return requests.every(approve);
}
