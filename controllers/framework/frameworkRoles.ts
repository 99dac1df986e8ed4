// A Framework's roles against the Mesos role rules (semantics.md §4.2, §4.7; S-22, S-36) and the
// Role objects. Roles need no Role object (Mesos roles are implicit: weight 1, no quota) unless the
// operator is configured with a role whitelist, as the Mesos master's --roles flag.

import { roleNameError } from "../allocator/index.ts";
import type { Framework, Role } from "../api/index.ts";
import { mesosRoleName } from "../role/roleConfig.ts";

export const ROLES_VALID_CONDITION = "RolesValid";

export interface RoleCheckOptions {
  /** Refuse roles without a Role object (Mesos --roles whitelist). Default false. */
  requireRoleObjects?: boolean | undefined;
}

export type RoleCheck = { valid: true; message: string } | { valid: false; reason: string; message: string };

export function checkFrameworkRoles(
  fw: Framework,
  roles: readonly Role[],
  options: RoleCheckOptions = {},
): RoleCheck {
  const spec = fw.spec;
  for (const role of spec.roles) {
    const error = roleNameError(role);
    if (error !== undefined) return { valid: false, reason: "InvalidRole", message: error };
  }
  if (spec.roles.length > 1 && !(spec.capabilities ?? []).includes("MULTI_ROLE"))
    return {
      valid: false,
      reason: "MultiRoleRequired",
      message: `A framework with several roles (${spec.roles.join(", ")}) needs the MULTI_ROLE capability`,
    };
  for (const role of spec.suppressedRoles ?? [])
    if (!spec.roles.includes(role))
      return {
        valid: false,
        reason: "InvalidSuppressedRole",
        message: `Suppressed role '${role}' is not contained in the list of roles`,
      };
  const defined = new Set(roles.map(mesosRoleName));
  const undefinedRoles = spec.roles.filter((r) => r !== "*" && !defined.has(r));
  if (options.requireRoleObjects === true && undefinedRoles.length > 0)
    return {
      valid: false,
      reason: "RoleNotAllowed",
      message: `Role(s) ${undefinedRoles.join(", ")} have no Role object and the operator allows only defined roles`,
    };
  return {
    valid: true,
    message:
      undefinedRoles.length === 0
        ? `Roles ${spec.roles.join(", ")} are valid.`
        : `Roles ${spec.roles.join(", ")} are valid; ${undefinedRoles.join(", ")} have no Role object (weight 1, no quota).`,
  };
}
