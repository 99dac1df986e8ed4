import { describe, expect, it } from "vitest";
import { Resources } from "./resources.ts";
import {
  describeResources,
  formatResources,
  fromPreRefinementJSON,
  fromSummary,
  parseResources,
  parseValue,
  ResourceParseError,
  toPreRefinementJSON,
  toSummary,
} from "./resourceText.ts";

describe("parseResources (agent flag form)", () => {
  it.each([
    ["cpus:2;mem:1024;ports:[31000-32000]", "cpus:2;mem:1024;ports:[31000-32000]"],
    ["cpus:2; mem:1024; disk:0", "cpus:2;mem:1024"],
    ["cpus(role):2;mem(role):1024", "cpus(role):2;mem(role):1024"],
    ["cpus(*):2", "cpus:2"],
    ["ports:[31000-31001, 31002-31010, 20-30]", "ports:[20-30,31000-31010]"],
    ["cpus:0.0005", "cpus:0.001"],
    ["cpus:4;mem:2048;cpus(ads):8;mem(ads):4096", "cpus:4;cpus(ads):8;mem:2048;mem(ads):4096"],
    ["disks:{b,a}", "disks:{a,b}"],
    ["", ""],
  ])("%s → %s", (input, text) => {
    expect(formatResources(parseResources(input))).toBe(text);
  });

  it.each([
    ["cpus", "missing or extra ':'"],
    ["cpus:1:2", "missing or extra ':'"],
    ["cpus(role:1", "mismatched parentheses"],
    ["cpus:-1", "value <= 0"],
    ["cpus:0.0001", "value <= 0"],
    ["ports:[5-1]", "begin > end"],
    ["ports:[1-2", "Mismatched brackets"],
    ["cpus:abc", "Failed to parse value"],
    ["cpus(/bad):1", "cannot start with a slash"],
    ["s:{a,a}", "duplicate items"],
  ])("refuses %s (%s)", (input, message) => {
    expect(() => parseResources(input)).toThrow(ResourceParseError);
    expect(() => parseResources(input)).toThrow(message);
  });

  it("applies a default role to unlabelled resources (agent --default_role)", () => {
    expect(formatResources(parseResources("cpus:1;mem(*):2", "web"))).toBe("cpus(web):1;mem:2");
  });

  it("accepts a JSON array of Resource objects as Mesos does", () => {
    const res = parseResources(
      '[{"name":"cpus","type":"SCALAR","scalar":2},{"name":"ports","type":"RANGES","ranges":[{"begin":1,"end":5}]}]',
    );
    expect(formatResources(res)).toBe("cpus:2;ports:[1-5]");
  });

  it("parses values", () => {
    expect(parseValue("2.5")).toEqual({ type: "SCALAR", value: 2.5 });
    expect(parseValue("[1-2,4-5]")).toEqual({
      type: "RANGES",
      ranges: [
        { begin: 1, end: 2 },
        { begin: 4, end: 5 },
      ],
    });
    expect(parseValue("{a, b}")).toEqual({ type: "SET", items: ["a", "b"] });
  });
});

describe("describeResources (Mesos log form)", () => {
  it("prints allocation and reservation info like operator<<", () => {
    const res = parseResources("cpus(web):2;mem:1024;ports:[1-2,4-5]");
    expect(describeResources(res)).toBe("cpus(reservations: [(STATIC,web)]):2; mem:1024; ports:[1-2, 4-5]");
    expect(describeResources(parseResources("cpus:1"), "web")).toBe("cpus(allocated: web):1");
    expect(describeResources(Resources.EMPTY)).toBe("{}");
    const dyn = parseResources("mem:1").pushReservation({
      type: "DYNAMIC",
      role: "r",
      principal: "p",
      labels: { k: "v" },
    });
    expect(describeResources(dyn)).toBe("mem(reservations: [(DYNAMIC,r,p,{k: v})]):1");
  });
});

describe("legacy JSON summary", () => {
  it("always has cpus, gpus, mem and disk, and writes ranges and sets as strings", () => {
    const res = parseResources("cpus:2;mem:1024;ports:[31000-32000];cpus(web):1;disks:{a,b}");
    expect(toSummary(res)).toEqual({
      cpus: 3,
      gpus: 0,
      mem: 1024,
      disk: 0,
      ports: "[31000-32000]",
      disks: "{a, b}",
    });
    expect(toSummary(Resources.EMPTY)).toEqual({ cpus: 0, gpus: 0, mem: 0, disk: 0 });
  });

  it("reads back", () => {
    const back = fromSummary({
      cpus: 2,
      gpus: 0,
      mem: 1024,
      disk: 0,
      ports: "[31000-32000]",
      disks: "{a, b}",
    });
    expect(formatResources(back)).toBe("cpus:2;mem:1024;ports:[31000-32000];disks:{a,b}");
  });
});

describe("pre-refinement format", () => {
  it("uses role and reservation instead of the reservations stack", () => {
    const res = parseResources("cpus:1;mem(ads):2").plus(
      Resources.scalars({ disk: 3 }, [{ type: "DYNAMIC", role: "ads", principal: "p" }]),
    );
    const json = toPreRefinementJSON(res, "ads");
    expect(json).toEqual([
      { name: "cpus", type: "SCALAR", scalar: 1, role: "*", allocationInfo: { role: "ads" } },
      { name: "mem", type: "SCALAR", scalar: 2, role: "ads", allocationInfo: { role: "ads" } },
      {
        name: "disk",
        type: "SCALAR",
        scalar: 3,
        role: "ads",
        reservation: { principal: "p" },
        allocationInfo: { role: "ads" },
      },
    ]);
    expect(fromPreRefinementJSON(json).equals(res)).toBe(true);
  });
});
