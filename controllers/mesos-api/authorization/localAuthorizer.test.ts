import { describe, expect, it } from "vitest";
import { type Entity, parseAcls } from "./acls.ts";
import { type AuthorizationRequest, allows, authorize, matches, splitRoleAcls } from "./localAuthorizer.ts";

const SOME = (...values: string[]): Entity => ({ type: "SOME", values });
const ANY: Entity = { type: "ANY", values: [] };
const NONE: Entity = { type: "NONE", values: [] };

describe("matches and allows (Mesos's match and allow matrices)", () => {
  // [request, acl, matches, allows]
  const table: [string, Entity, Entity, boolean, boolean][] = [
    ["SOME ⊆ SOME", SOME("a"), SOME("a", "b"), true, true],
    ["SOME ⊄ SOME", SOME("a", "c"), SOME("a", "b"), false, false],
    ["SOME vs empty SOME", SOME("a"), SOME(), false, false],
    ["SOME vs NONE", SOME("a"), NONE, true, false],
    ["SOME vs ANY", SOME("a"), ANY, true, true],
    ["NONE vs SOME", NONE, SOME("a"), false, false],
    ["NONE vs NONE", NONE, NONE, true, true],
    ["NONE vs ANY", NONE, ANY, false, false],
    ["ANY vs SOME", ANY, SOME("a"), false, false],
    ["ANY vs NONE", ANY, NONE, true, false],
    ["ANY vs ANY", ANY, ANY, true, true],
  ];
  it.each(table)("%s", (_name, request, acl, m, a) => {
    expect(matches(request, acl)).toBe(m);
    expect(allows(request, acl)).toBe(a);
  });
});

const acls = (json: object) => parseAcls(JSON.stringify(json));
const register = (principal: string | undefined, ...roles: string[]): AuthorizationRequest => ({
  acl: "register_frameworks",
  principal,
  roles,
});

describe("register_frameworks", () => {
  const rules = acls({
    permissive: false,
    register_frameworks: [
      { principals: { values: ["alice"] }, roles: { values: ["dev", "test"] } },
      { principals: { values: ["bob"] }, roles: { type: "ANY" } },
      { principals: { values: ["mallory"] }, roles: { type: "NONE" } },
      { principals: { values: ["carol"] }, roles: { values: ["eng/%"] } },
      { principals: { type: "ANY" }, roles: { values: ["public"] } },
    ],
  });
  const table: [string, AuthorizationRequest, boolean][] = [
    ["a listed role", register("alice", "dev"), true],
    ["all roles listed", register("alice", "dev", "test"), true],
    ["one role not listed: the whole registration is refused", register("alice", "dev", "prod"), false],
    ["ANY roles", register("bob", "anything"), true],
    ["NONE roles: matched, not allowed", register("mallory", "dev"), false],
    ["recursive: a nested role", register("carol", "eng/web"), true],
    ["recursive: deeper", register("carol", "eng/web/a"), true],
    ["recursive: not the parent itself", register("carol", "eng"), false],
    ["recursive: not a sibling prefix", register("carol", "engineering"), false],
    ["ANY principal, listed role", register("dave", "public"), true],
    ["unknown principal and role: not permissive", register("dave", "dev"), false],
    [
      "no principal (authentication off) is ANY: only ANY-principal ACLs match",
      register(undefined, "public"),
      true,
    ],
    ["no principal, other role", register(undefined, "dev"), false],
    // First match decides: alice's first ACL matches "dev" before the ANY rule is looked at.
    ["alice may use public through the ANY rule", register("alice", "public"), true],
    ["no roles: permissive decides", register("alice"), false],
  ];
  it.each(table)("%s", (_name, request, allowed) => {
    expect(authorize(rules, request)).toBe(allowed);
  });

  it("the first matching ACL decides, even when a later one would allow", () => {
    const first = acls({
      register_frameworks: [
        { principals: { values: ["alice"] }, roles: { type: "NONE" } },
        { principals: { values: ["alice"] }, roles: { values: ["dev"] } },
      ],
    });
    expect(authorize(first, register("alice", "dev"))).toBe(false);
  });

  it("permissive (the default) allows what no ACL matches", () => {
    const open = acls({
      register_frameworks: [{ principals: { values: ["alice"] }, roles: { values: ["dev"] } }],
    });
    expect(authorize(open, register("bob", "prod"))).toBe(true);
    expect(authorize(open, register("alice", "prod"))).toBe(true);
    expect(authorize(acls({}), register("x", "y"))).toBe(true);
    expect(authorize(acls({ permissive: false }), register("x", "y"))).toBe(false);
  });

  it("a NONE principals ACL matches only requests without a principal", () => {
    const r = acls({
      permissive: true,
      register_frameworks: [{ principals: { type: "NONE" }, roles: { values: ["foo"] } }],
    });
    // Mesos MasterAuthorizationTest.UnauthorizedRole: NONE principals, role foo → refused.
    expect(authorize(r, register("test-principal", "foo"))).toBe(false);
    expect(authorize(r, register("test-principal", "bar"))).toBe(true);
  });
});

describe("teardown_frameworks", () => {
  const rules = acls({
    permissive: false,
    teardown_frameworks: [
      { principals: { values: ["ops"] }, framework_principals: { type: "ANY" } },
      { principals: { values: ["alice"] }, framework_principals: { values: ["alice"] } },
    ],
  });
  const teardown = (
    principal: string | undefined,
    frameworkPrincipal: string | undefined,
  ): AuthorizationRequest => ({
    acl: "teardown_frameworks",
    principal,
    frameworkPrincipal,
  });
  const table: [string, AuthorizationRequest, boolean][] = [
    ["ops tears down anyone's", teardown("ops", "alice"), true],
    ["ops tears down a framework without principal", teardown("ops", undefined), true],
    ["alice tears down her own", teardown("alice", "alice"), true],
    ["alice may not tear down bob's", teardown("alice", "bob"), false],
    ["alice may not tear down one without principal (object ANY)", teardown("alice", undefined), false],
    ["bob matches nothing", teardown("bob", "bob"), false],
    ["no principal matches nothing", teardown(undefined, "bob"), false],
  ];
  it.each(table)("%s", (_name, request, allowed) => {
    expect(authorize(rules, request)).toBe(allowed);
  });
});

describe("run_tasks (principals → users)", () => {
  const rules = acls({
    permissive: true,
    run_tasks: [
      { principals: { values: ["alice"] }, users: { values: ["alice", "nobody"] } },
      { principals: { type: "ANY" }, users: { type: "NONE" } },
    ],
  });
  it.each([
    ["alice", "alice", true],
    ["alice", "nobody", true],
    // alice's ACL does not match root; the ANY/NONE rule matches and denies.
    ["alice", "root", false],
    ["bob", "bob", false],
    [undefined, "root", false],
  ] as const)("%s as %s: %s", (principal, user, allowed) => {
    expect(authorize(rules, { acl: "run_tasks", principal, user })).toBe(allowed);
  });
});

describe("update_weights and update_quotas (hierarchical roles)", () => {
  const rules = acls({
    permissive: false,
    update_weights: [{ principals: { values: ["ops"] }, roles: { values: ["a", "b/%"] } }],
    update_quotas: [{ principals: { type: "ANY" }, roles: { type: "ANY" } }],
  });
  it.each([
    ["a", true],
    ["b/c", true],
    ["b", false],
    ["c", false],
  ] as const)("ops updates the weight of %s: %s", (role, allowed) => {
    expect(authorize(rules, { acl: "update_weights", principal: "ops", role })).toBe(allowed);
  });
  it("quota is open to anyone here, weights are not", () => {
    expect(authorize(rules, { acl: "update_quotas", principal: "x", role: "a" })).toBe(true);
    expect(authorize(rules, { acl: "update_quotas", principal: undefined, role: "a" })).toBe(true);
    expect(authorize(rules, { acl: "update_weights", principal: "x", role: "a" })).toBe(false);
  });
});

describe("agent and maintenance actions (object ANY)", () => {
  const rules = acls({
    permissive: true,
    mark_agents_gone: [
      { principals: { values: ["ops"] }, agents: { type: "ANY" } },
      { principals: { type: "ANY" }, agents: { type: "NONE" } },
    ],
    // An ACL naming agents never matches (the request's object is ANY): permissive decides.
    drain_agents: [{ principals: { values: ["ops"] }, agents: { type: "NONE" } }],
  });
  it.each([
    ["mark_agents_gone", "ops", true],
    ["mark_agents_gone", "alice", false],
    ["mark_agents_gone", undefined, false],
    ["drain_agents", "ops", false],
    ["drain_agents", "alice", true],
    ["start_maintenances", "alice", true],
  ] as const)("%s by %s: %s", (acl, principal, allowed) => {
    expect(authorize(rules, { acl, principal })).toBe(allowed);
  });
});

describe("splitRoleAcls", () => {
  it("puts each recursive value in its own ACL, in order", () => {
    const p = SOME("p");
    expect(splitRoleAcls([{ principals: p, object: SOME("a", "b/%", "c", "d/%") }])).toEqual([
      { principals: p, object: SOME("b/%") },
      { principals: p, object: SOME("d/%") },
      { principals: p, object: SOME("a", "c") },
    ]);
    expect(splitRoleAcls([{ principals: p, object: ANY }])).toEqual([{ principals: p, object: ANY }]);
  });
});

describe("parseAcls", () => {
  it("reads Mesos's JSON with defaults (permissive true, type SOME)", () => {
    const r = acls({ register_frameworks: [{ principals: { values: ["a"] }, roles: { type: "ANY" } }] });
    expect(r.permissive).toBe(true);
    expect(r.lists.register_frameworks).toEqual([{ principals: SOME("a"), object: ANY }]);
    expect(r.lists.teardown_frameworks).toEqual([]);
  });

  it("accepts the ACLs it does not enforce, so a Mesos file loads unchanged", () => {
    const r = acls({
      view_frameworks: [{ principals: { type: "ANY" }, users: { type: "ANY" } }],
      run_tasks: [{ principals: { values: ["a"] }, users: { values: ["root"] } }],
    });
    expect(r.lists.view_frameworks).toHaveLength(1);
  });

  it("refuses what Mesos refuses, and misspelled fields, with the reason", () => {
    expect(() => parseAcls("{")).toThrow(/acls: invalid JSON/);
    expect(() => acls({ view_flags: [{ principals: { type: "ANY" }, flags: { values: ["x"] } }] })).toThrow(
      /ACL\.ViewFlags type must be either NONE or ANY/,
    );
    expect(() => acls({ register_framework: [] })).toThrow(/register_framework/);
    expect(() => acls({ register_frameworks: [{ principals: { type: "ANY" } }] })).toThrow(/roles/);
    expect(() =>
      acls({ register_frameworks: [{ principals: { type: "SOMEONE" }, roles: { type: "ANY" } }] }),
    ).toThrow(/principals/);
    expect(() => acls({ permissive: "yes" })).toThrow(/permissive/);
  });
});
