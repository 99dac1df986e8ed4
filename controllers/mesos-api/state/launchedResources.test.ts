import { describe, expect, it } from "vitest";
import type { Task as TaskObject } from "../../api/task.ts";
import type { Pod } from "../../cluster/podSchema.ts";
import { RESOURCES_ANNOTATION } from "../../task/podIdentity.ts";
import { launchedResources, taskEndpointResources } from "./launchedResources.ts";

const task = {
  metadata: { name: "fw-t1", namespace: "ns" },
  spec: { frameworkName: "fw", resources: { cpus: 1, mem: 64 } },
  status: { role: "web", podName: "p" },
} as unknown as TaskObject;

const podHolding = (held: unknown): Pod =>
  ({ metadata: { name: "p", annotations: { [RESOURCES_ANNOTATION]: JSON.stringify(held) } } }) as Pod;

const reservedCpus = {
  name: "cpus",
  type: "SCALAR",
  scalar: 1,
  reservations: [{ type: "DYNAMIC", role: "web", principal: "P" }],
};
const unreservedMem = { name: "mem", type: "SCALAR", scalar: 64 };

describe("a task's launched resources", () => {
  it("are what its pod records for its container, reservations included, in the ENDPOINT format", () => {
    const out = taskEndpointResources(task, podHolding({ "fw-t1": [reservedCpus, unreservedMem] }), []);
    expect(out).toEqual([
      {
        name: "cpus",
        type: "SCALAR",
        scalar: { value: 1 },
        reservations: [{ type: "DYNAMIC", role: "web", principal: "P" }],
        role: "web",
        reservation: { principal: "P" },
        allocation_info: { role: "web" },
      },
      { name: "mem", type: "SCALAR", scalar: { value: 64 }, role: "*", allocation_info: { role: "web" } },
    ]);
  });

  it("fall back to the spec's when there is no pod, no record for the container, or a bad annotation", () => {
    const fromSpec = [{ name: "cpus", type: "SCALAR" as const, scalar: { value: 1 } }];
    expect(launchedResources(task, undefined)).toBeUndefined();
    expect(launchedResources(task, podHolding({ other: [unreservedMem] }))).toBeUndefined();
    const bad = { metadata: { annotations: { [RESOURCES_ANNOTATION]: "{not json" } } } as Pod;
    expect(launchedResources(task, bad)).toBeUndefined();
    expect(taskEndpointResources(task, undefined, fromSpec)).toEqual([{ ...fromSpec[0], role: "*" }]);
  });
});
