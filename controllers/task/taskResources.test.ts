import { describe, expect, it } from "vitest";
import { formatResources, parseResources } from "../allocator/index.ts";
import { takeTaskResources } from "./taskResources.ts";

const take = (demand: Parameters<typeof takeTaskResources>[0], offered: string) => {
  const r = takeTaskResources(demand, parseResources(offered));
  return r === undefined ? undefined : formatResources(r);
};

describe("takeTaskResources", () => {
  it.each([
    ["unreserved only", { cpus: 1, mem: 128 }, "cpus:4;mem:1024", "cpus:1;mem:128"],
    ["reserved first", { cpus: 2 }, "cpus:4;cpus(web):1", "cpus:1;cpus(web):1"],
    [
      "all from the reservation",
      { cpus: 1, mem: 100 },
      "cpus(web):2;mem(web):512;mem:512",
      "cpus(web):1;mem(web):100",
    ],
    ["fixed-point exact", { cpus: 0.3 }, "cpus:0.1;cpus(web):0.2", "cpus:0.1;cpus(web):0.2"],
    [
      "ports inside a range",
      { ports: [{ begin: 31005, end: 31006 }] },
      "ports:[31000-31010]",
      "ports:[31005-31006]",
    ],
    ["too little cpu", { cpus: 5 }, "cpus:4;mem:10", undefined],
    ["missing resource", { gpus: 1 }, "cpus:4", undefined],
    ["port outside", { ports: [{ begin: 80, end: 80 }] }, "ports:[31000-31010]", undefined],
    ["nothing asked", {}, "cpus:1", ""],
  ])("%s", (_name, demand, offered, want) => {
    expect(take(demand, offered)).toBe(want);
  });
});
