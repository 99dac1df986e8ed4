import { describe, expect, it } from "vitest";
import { frameworkObject, roleObject } from "../task/testObjects.ts";
import { checkFrameworkRoles } from "./frameworkRoles.ts";

const roles = [roleObject("web"), roleObject("eng.web", { name: "eng/web" })];

describe("checkFrameworkRoles", () => {
  it.each<[string, Record<string, unknown>, boolean, string | undefined]>([
    ["default role *", {}, true, undefined],
    ["one role without MULTI_ROLE", { roles: ["web"] }, true, undefined],
    [
      "several roles with MULTI_ROLE",
      { roles: ["web", "eng/web"], capabilities: ["MULTI_ROLE"] },
      true,
      undefined,
    ],
    ["several roles without MULTI_ROLE", { roles: ["web", "eng/web"] }, false, "MultiRoleRequired"],
    ["implicit role (no Role object)", { roles: ["batch"] }, true, undefined],
  ])("%s", (_name, spec, valid, reason) => {
    const r = checkFrameworkRoles(frameworkObject("fw", spec), roles);
    expect(r.valid).toBe(valid);
    if (!r.valid) expect(r.reason).toBe(reason);
  });

  it("says which roles use defaults", () => {
    expect(checkFrameworkRoles(frameworkObject("fw", { roles: ["batch"] }), roles).message).toBe(
      "Roles batch are valid; batch have no Role object (weight 1, no quota).",
    );
  });

  it("with a whitelist, roles need a Role object (* always allowed)", () => {
    const opts = { requireRoleObjects: true };
    expect(checkFrameworkRoles(frameworkObject("fw", { roles: ["batch"] }), roles, opts)).toMatchObject({
      valid: false,
      reason: "RoleNotAllowed",
    });
    expect(checkFrameworkRoles(frameworkObject("fw", { roles: ["eng/web"] }), roles, opts).valid).toBe(true);
    expect(checkFrameworkRoles(frameworkObject("fw"), roles, opts).valid).toBe(true);
  });

  it("checks role names and suppressed roles even when the object skipped API validation", () => {
    const fw = frameworkObject("fw", { roles: ["web"] });
    const bad = { ...fw, spec: { ...fw.spec, roles: ["/test/test1"] } };
    expect(checkFrameworkRoles(bad, roles)).toMatchObject({ valid: false, reason: "InvalidRole" });
    const suppressed = { ...fw, spec: { ...fw.spec, suppressedRoles: ["r2"] } };
    expect(checkFrameworkRoles(suppressed, roles)).toEqual({
      valid: false,
      reason: "InvalidSuppressedRole",
      message: "Suppressed role 'r2' is not contained in the list of roles",
    });
  });
});
