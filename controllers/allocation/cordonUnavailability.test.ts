import { describe, expect, it } from "vitest";
import { parseResources } from "../allocator/index.ts";
import { cordonedAt, withCordonUnavailability } from "./cordonUnavailability.ts";

const seen = Date.parse("2026-05-01T10:00:00Z");
const spec = (extra: object = {}) => ({
  id: "a1",
  hostname: "n1",
  nodeName: "n1",
  resources: parseResources("cpus:1"),
  ...extra,
});
const tainted = (timeAdded: string | null | undefined) => ({
  spec: {
    unschedulable: true,
    taints: [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule", timeAdded }],
  },
});

describe("a cordoned node's unavailability", () => {
  it.each([
    ["the taint's timeAdded", tainted("2026-04-30T08:00:00Z"), Date.parse("2026-04-30T08:00:00Z")],
    ["first seen, when the taint has no time", tainted(null), seen],
    ["first seen, without the taint", { spec: { unschedulable: true } }, seen],
    ["first seen, when the time does not parse", tainted("yesterday"), seen],
  ])("starts at %s", (_what, node, ms) => {
    expect(cordonedAt(node, seen)).toBe(ms);
    expect(withCordonUnavailability(spec({ unschedulable: true }), node, seen).unavailability).toEqual({
      start: { nanoseconds: ms * 1e6 },
    });
  });

  it("is absent for a schedulable node; a maintenance window keeps its own", () => {
    expect(withCordonUnavailability(spec(), { spec: {} }, seen).unavailability).toBeUndefined();
    const window = { start: { nanoseconds: 2e18 }, duration: { nanoseconds: 60e9 } };
    expect(
      withCordonUnavailability(spec({ unschedulable: true, unavailability: window }), tainted(null), seen)
        .unavailability,
    ).toEqual(window);
  });
});

describe("a draining node", () => {
  it("has no cordon unavailability: no inverse offers for an agent being drained (as Mesos)", () => {
    const draining = {
      ...tainted("2026-04-30T08:00:00Z"),
      metadata: {
        annotations: {
          "mesos.operator.dev/drain": JSON.stringify({
            state: "DRAINING",
            config: { mark_gone: false },
            started: "2026-04-30T08:00:00Z",
          }),
        },
      },
    };
    expect(
      withCordonUnavailability(spec({ unschedulable: true }), draining, seen).unavailability,
    ).toBeUndefined();
  });
});
