import { describe, expect, it } from "vitest";
import { matchesSelector } from "../allocator/agentSelector.ts";
import { LabelSelectorError, parseLabelSelector } from "./labelSelector.ts";

describe("parseLabelSelector", () => {
  it("selects everything when empty", () => {
    expect(parseLabelSelector("")).toBeUndefined();
    expect(parseLabelSelector("   ")).toBeUndefined();
  });

  it("parses every operator of the text form", () => {
    expect(parseLabelSelector("a=1, b==2,c!=3,d in (x, y),e notin (z),f,!g,example.com/h=")).toEqual({
      matchExpressions: [
        { key: "a", operator: "In", values: ["1"] },
        { key: "b", operator: "In", values: ["2"] },
        { key: "c", operator: "NotIn", values: ["3"] },
        { key: "d", operator: "In", values: ["x", "y"] },
        { key: "e", operator: "NotIn", values: ["z"] },
        { key: "f", operator: "Exists" },
        { key: "g", operator: "DoesNotExist" },
        { key: "example.com/h", operator: "In", values: [""] },
      ],
    });
  });

  it("means what kubectl means", () => {
    const s = parseLabelSelector("type=kwok,zone in (a,b),!gpu");
    expect(matchesSelector({ type: "kwok", zone: "a" }, s)).toBe(true);
    expect(matchesSelector({ type: "kwok", zone: "c" }, s)).toBe(false);
    expect(matchesSelector({ type: "kwok", zone: "b", gpu: "1" }, s)).toBe(false);
    expect(matchesSelector({ zone: "a" }, s)).toBe(false);
  });

  it.each([
    ["a,,b", "empty requirement"],
    ["a in (x", 'unbalanced "("'],
    ["a in ()", "empty value set"],
    ["cpu>2", "not supported"],
    ["-a=b", "name must be"],
    ["Example.com/a=b", "prefix must be a DNS subdomain"],
    ["a=b c", "not a label requirement"],
    [`a=${"x".repeat(64)}`, "at most 63"],
  ])("refuses %j (%s)", (text, message) => {
    expect(() => parseLabelSelector(text)).toThrow(LabelSelectorError);
    expect(() => parseLabelSelector(text)).toThrow(message);
  });
});
