import { describe, expect, it } from "vitest";
import {
  DRAIN_ANNOTATION,
  maxGracePeriodSeconds,
  type NodeDrain,
  nodeDrain,
  nodeDrainText,
} from "./nodeDrain.ts";
import { nodeToAgent } from "./nodeToAgent.ts";

const draining: NodeDrain = {
  state: "DRAINING",
  config: { mark_gone: false, max_grace_period: { nanoseconds: 2_500_000_000 } },
  started: "2026-11-25T12:00:00.000Z",
};
const node = (annotations: Record<string, string>, unschedulable = false) => ({
  metadata: { name: "n1", uid: "u1", annotations },
  spec: { unschedulable },
  status: { allocatable: { cpu: "2", memory: "1Gi" } },
});

describe("node drain annotation", () => {
  it("round-trips, with the grace in seconds", () => {
    const d = nodeDrain(node({ [DRAIN_ANNOTATION]: nodeDrainText(draining) }));
    expect(d).toEqual(draining);
    expect(maxGracePeriodSeconds(d!)).toBe(2.5);
    const none = { ...draining, config: { mark_gone: true } };
    expect(
      maxGracePeriodSeconds(nodeDrain(node({ [DRAIN_ANNOTATION]: nodeDrainText(none) }))!),
    ).toBeUndefined();
  });

  it.each([
    ["not json"],
    ['{"state":"DONE","config":{"mark_gone":false},"started":"2026-11-25T12:00:00Z"}'],
    ["{}"],
  ])("ignores an unreadable annotation %s", (text) => {
    expect(nodeDrain(node({ [DRAIN_ANNOTATION]: text }))).toBeUndefined();
  });

  it("deactivates the agent while draining or drained, cordoned or not", () => {
    expect(nodeToAgent(node({}))?.unschedulable).toBe(false);
    expect(nodeToAgent(node({ [DRAIN_ANNOTATION]: nodeDrainText(draining) }))?.unschedulable).toBe(true);
    const drained = nodeDrainText({ ...draining, state: "DRAINED" });
    expect(nodeToAgent(node({ [DRAIN_ANNOTATION]: drained }, true))?.unschedulable).toBe(true);
  });
});
