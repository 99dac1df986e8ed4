import { describe, expect, it } from "vitest";
import type { Constraint } from "../api/index.ts";
import {
  type AgentLocation,
  attributeText,
  constraintAllows,
  describeConstraint,
} from "./placementConstraints.ts";

const at = (hostname: string, attrs: Record<string, string> = {}): AgentLocation => ({
  hostname,
  attributes: Object.entries(attrs).map(([name, text]) => ({ name, type: "TEXT" as const, text })),
});

const c = (field: string, operator: Constraint["operator"], value?: string): Constraint =>
  value === undefined ? { field, operator } : { field, operator, value };

describe("constraintAllows", () => {
  const peers = [
    at("a", { rack: "r1", zone: "z1" }),
    at("b", { rack: "r1", zone: "z2" }),
    at("c", { rack: "r2", zone: "z1" }),
  ];
  it.each<[string, Constraint, AgentLocation, boolean]>([
    ["UNIQUE hostname, new host", c("hostname", "UNIQUE"), at("d"), true],
    ["UNIQUE hostname, taken host", c("hostname", "UNIQUE"), at("a"), false],
    ["UNIQUE attribute, taken value", c("rack", "UNIQUE"), at("d", { rack: "r2" }), false],
    ["UNIQUE attribute, free value", c("rack", "UNIQUE"), at("d", { rack: "r3" }), true],
    ["UNIQUE attribute, agent lacks it", c("rack", "UNIQUE"), at("d"), false],
    ["CLUSTER match", c("rack", "CLUSTER", "r1"), at("d", { rack: "r1" }), true],
    ["CLUSTER other", c("rack", "CLUSTER", "r1"), at("d", { rack: "r2" }), false],
    ["CLUSTER hostname", c("hostname", "CLUSTER", "d"), at("d"), true],
    ["LIKE full match", c("rack", "LIKE", "r[1-3]"), at("d", { rack: "r2" }), true],
    ["LIKE is anchored", c("rack", "LIKE", "r[1-3]"), at("d", { rack: "r22" }), false],
    ["LIKE, agent lacks it", c("rack", "LIKE", ".*"), at("d"), false],
    ["LIKE, invalid regex refuses", c("rack", "LIKE", "("), at("d", { rack: "(" }), false],
    ["UNLIKE other", c("rack", "UNLIKE", "r1"), at("d", { rack: "r2" }), true],
    ["UNLIKE same", c("rack", "UNLIKE", "r1"), at("d", { rack: "r1" }), false],
    ["UNLIKE, agent lacks it", c("rack", "UNLIKE", "r1"), at("d"), true],
    ["UNLIKE, invalid regex refuses", c("rack", "UNLIKE", "("), at("d", { rack: "x" }), false],
    ["MAX_PER under", c("rack", "MAX_PER", "3"), at("d", { rack: "r1" }), true],
    ["MAX_PER at the limit", c("rack", "MAX_PER", "2"), at("d", { rack: "r1" }), false],
    ["GROUP_BY emptiest group", c("zone", "GROUP_BY"), at("d", { zone: "z2" }), true],
    ["GROUP_BY fuller group", c("zone", "GROUP_BY"), at("d", { zone: "z1" }), false],
    [
      "GROUP_BY with a count: unseen group is emptiest",
      c("zone", "GROUP_BY", "3"),
      at("d", { zone: "z3" }),
      true,
    ],
    [
      "GROUP_BY with a count: seen groups wait for the unseen",
      c("zone", "GROUP_BY", "3"),
      at("d", { zone: "z2" }),
      false,
    ],
  ])("%s", (_name, constraint, where, want) => {
    expect(constraintAllows(constraint, where, peers)).toBe(want);
  });

  it("with no peers everything but a mismatch is allowed", () => {
    expect(constraintAllows(c("hostname", "UNIQUE"), at("a"), [])).toBe(true);
    expect(constraintAllows(c("zone", "GROUP_BY", "2"), at("a", { zone: "z" }), [])).toBe(true);
  });

  it("attribute values compare as Marathon prints them", () => {
    expect(attributeText({ name: "n", type: "SCALAR", scalar: 16 })).toBe("16");
    expect(attributeText({ name: "n", type: "RANGES", ranges: [{ begin: 1, end: 3 }] })).toBe("[1-3]");
    expect(attributeText({ name: "n", type: "SET", set: ["a", "b"] })).toBe("{a,b}");
    expect(describeConstraint(c("rack", "MAX_PER", "2"))).toBe("rack:MAX_PER:2");
    expect(describeConstraint(c("hostname", "UNIQUE"))).toBe("hostname:UNIQUE");
  });
});
