import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../config.ts";
import type { FrameworkInfo } from "../messages/frameworkInfo.ts";
import { frameworkNamespaceFor, frameworkNamespaceRule } from "./frameworkNamespace.ts";

const rule = (...flags: string[]) => frameworkNamespaceRule(parseConfig(flags, {}).config);
const info = (fields: Partial<FrameworkInfo>): FrameworkInfo => ({
  user: "u",
  name: "fw",
  failover_timeout: 0,
  checkpoint: false,
  roles: [],
  capabilities: [],
  ...fields,
});

describe("frameworkNamespaceFor", () => {
  it("fixed: the lease namespace by default, or --framework-namespace", () => {
    expect(frameworkNamespaceFor(rule("--lease-namespace=ops"), info({ principal: "a" }), "a")).toBe("ops");
    expect(frameworkNamespaceFor(rule("--framework-namespace=mesos"), info({ principal: "a" }), "a")).toBe(
      "mesos",
    );
  });

  it("principal: FrameworkInfo.principal, else the authenticated one, else the fallback", () => {
    const r = rule("--framework-namespace-from=principal", "--framework-namespaces=alice=team-a, bob=team-b");
    expect(frameworkNamespaceFor(r, info({ principal: "alice" }), undefined)).toBe("team-a");
    expect(frameworkNamespaceFor(r, info({}), "bob")).toBe("team-b");
    expect(frameworkNamespaceFor(r, info({ principal: "carol" }), "carol")).toBe("default");
    expect(frameworkNamespaceFor(r, info({}), undefined)).toBe("default");
  });

  it("role: the first covered role in the framework's order, sub-roles covered by their ancestors", () => {
    const r = rule(
      "--framework-namespace-from=role",
      "--framework-namespaces=eng=engineering,eng/ml=ml,ops=operations",
      "--framework-namespace=mesos",
    );
    expect(frameworkNamespaceFor(r, info({ roles: ["eng"] }), undefined)).toBe("engineering");
    expect(frameworkNamespaceFor(r, info({ roles: ["eng/web/x"] }), undefined)).toBe("engineering");
    expect(frameworkNamespaceFor(r, info({ roles: ["eng/ml/gpu"] }), undefined)).toBe("ml");
    expect(frameworkNamespaceFor(r, info({ roles: ["other", "ops", "eng"] }), undefined)).toBe("operations");
    expect(frameworkNamespaceFor(r, info({ role: "ops" }), undefined)).toBe("operations");
    expect(frameworkNamespaceFor(r, info({ roles: ["engineering"] }), undefined)).toBe("mesos");
  });
});

describe("the namespace options", () => {
  const problems = (...flags: string[]) => {
    try {
      parseConfig(flags, {});
    } catch (err) {
      if (err instanceof ConfigError) return err.problems.join("\n");
      throw err;
    }
    return "";
  };

  it("refuses a malformed map, a duplicate key, and a mapping mode without a map", () => {
    expect(problems("--framework-namespaces=alice")).toMatch(/"alice" is not key=namespace/);
    expect(problems("--framework-namespaces=alice=Team_A")).toMatch(/"alice=Team_A" is not key=namespace/);
    expect(problems("--framework-namespaces=a=x,a=y")).toMatch(/"a" is mapped twice/);
    expect(problems("--framework-namespace-from=principal")).toMatch(
      /--framework-namespaces.*is required when frameworkNamespaceFrom is principal/,
    );
    expect(problems("--framework-namespace-from=owner")).toMatch(/must be one of fixed, principal, role/);
  });

  it("reads the map from the environment too", () => {
    const { config } = parseConfig([], {
      MESOS_OPERATOR_FRAMEWORK_NAMESPACE_FROM: "principal",
      MESOS_OPERATOR_FRAMEWORK_NAMESPACES: "a=x",
    });
    expect([...config.frameworkNamespaces]).toEqual([["a", "x"]]);
  });
});
