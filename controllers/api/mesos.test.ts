import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findCondition, setCondition } from "./k8s.ts";
import {
  isTerminalTaskState,
  isValidRoleName,
  type Resource,
  ROLE_NAME_PATTERN,
  roundMesos,
  TASK_REASONS,
  TASK_SOURCES,
  TASK_STATES,
  toResourceList,
  toResources,
} from "./mesos.ts";

describe("Mesos role names (src/common/roles.cpp)", () => {
  it.each(["*", "web", "eng/web", "a/b/c", "a.b", "..a", ".a", "a*", "*a", "a-", "role_1", "ünïcode", "A/B"])(
    "accepts %j",
    (name) => expect(isValidRoleName(name)).toBe(true),
  );
  it.each([
    "",
    ".",
    "..",
    "-web",
    "/web",
    "web/",
    "eng//web",
    "eng/../web",
    "eng/./web",
    "eng/*",
    "*/eng",
    "*/",
    "web team",
    "web\tteam",
    "web\bteam",
    "web\nteam",
    "eng/-web",
    "x".repeat(257),
  ])("refuses %j", (name) => expect(isValidRoleName(name)).toBe(false));

  it("matches a direct implementation of the rules", () => {
    const direct = (role: string) =>
      role === "*" ||
      (role.length > 0 &&
        !role.startsWith("/") &&
        !role.endsWith("/") &&
        role
          .split("/")
          .every((c) => c !== "" && c !== "." && c !== ".." && c !== "*" && !c.startsWith("-")) &&
        // biome-ignore lint/suspicious/noControlCharactersInRegex: whitespace and control characters are refused
        !/[\x00-\x20\x7f]/.test(role));
    const chars = fc.constantFrom("a", "b", ".", "/", "-", "*", " ", "\t", "é");
    fc.assert(
      fc.property(
        fc.array(chars, { maxLength: 8 }).map((cs) => cs.join("")),
        (role) => {
          expect(isValidRoleName(role)).toBe(direct(role));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("uses no look-around, so Go's RE2 compiles the same pattern", () => {
    expect(ROLE_NAME_PATTERN).not.toMatch(/\(\?[=!<]/);
  });
});

describe("enums", () => {
  it("has every Mesos TaskState, Reason and Source", () => {
    expect(TASK_STATES).toHaveLength(14);
    expect(TASK_REASONS).toHaveLength(35);
    expect(TASK_SOURCES).toEqual(["SOURCE_MASTER", "SOURCE_AGENT", "SOURCE_EXECUTOR"]);
  });
  it("knows the terminal states", () => {
    expect(isTerminalTaskState("TASK_FINISHED")).toBe(true);
    expect(isTerminalTaskState("TASK_GONE_BY_OPERATOR")).toBe(true);
    expect(isTerminalTaskState("TASK_UNREACHABLE")).toBe(false);
    expect(isTerminalTaskState("TASK_KILLING")).toBe(false);
  });
});

describe("resource shapes", () => {
  it("sums Mesos resources into the compact form, and back", () => {
    const list: Resource[] = [
      { name: "cpus", type: "SCALAR", scalar: 1.5 },
      { name: "cpus", type: "SCALAR", scalar: 0.1, reservations: [{ type: "STATIC", role: "web" }] },
      { name: "mem", type: "SCALAR", scalar: 1024 },
      { name: "ports", type: "RANGES", ranges: [{ begin: 31000, end: 31010 }] },
      { name: "custom", type: "SET", set: ["a"] },
    ];
    expect(toResources(list)).toEqual({ cpus: 1.6, mem: 1024, ports: [{ begin: 31000, end: 31010 }] });
    expect(toResourceList({ cpus: 2, mem: 0, ports: [{ begin: 1, end: 2 }] }, "web")).toEqual([
      { name: "cpus", type: "SCALAR", scalar: 2, allocationInfo: { role: "web" } },
      { name: "ports", type: "RANGES", ranges: [{ begin: 1, end: 2 }], allocationInfo: { role: "web" } },
    ]);
  });
  it("rounds like Mesos (3 decimals)", () => {
    expect(roundMesos(0.1 + 0.2)).toBe(0.3);
  });
});

describe("conditions", () => {
  it("keeps lastTransitionTime while the status does not change", () => {
    const t0 = new Date("2026-01-01T00:00:00Z");
    const t1 = new Date("2026-01-01T00:01:00Z");
    const c0 = setCondition(
      undefined,
      { type: "Ready", status: "False", reason: "Pending", message: "" },
      t0,
    );
    const c1 = setCondition(c0, { type: "Ready", status: "False", reason: "StillPending", message: "x" }, t1);
    expect(findCondition(c1, "Ready")).toEqual({
      type: "Ready",
      status: "False",
      reason: "StillPending",
      message: "x",
      lastTransitionTime: "2026-01-01T00:00:00Z",
    });
    const c2 = setCondition(c1, { type: "Ready", status: "True", reason: "Running", message: "" }, t1);
    expect(findCondition(c2, "Ready")?.lastTransitionTime).toBe("2026-01-01T00:01:00Z");
    expect(c2).toHaveLength(1);
  });
});
