import { describe, expect, it } from "vitest";
import {
  isPartitioned,
  type NodeHealthLike,
  type NodeReachability,
  nodeReachability,
} from "./nodeReachability.ts";

const node = (ready: string | undefined, taints: string[] = []): NodeHealthLike => ({
  spec: { taints: taints.map((key) => ({ key, effect: "NoExecute" })) },
  status: { conditions: ready === undefined ? [] : [{ type: "Ready", status: ready }] },
});

describe("nodeReachability", () => {
  it.each<[string, NodeHealthLike, NodeReachability]>([
    ["Ready=True", node("True"), "ready"],
    ["Ready=False", node("False"), "not-ready"],
    ["Ready=Unknown", node("Unknown"), "unreachable"],
    ["no Ready condition", node(undefined), "unregistered"],
    [
      "unreachable taint, condition not updated yet",
      node("True", ["node.kubernetes.io/unreachable"]),
      "unreachable",
    ],
    ["not-ready taint", node("True", ["node.kubernetes.io/not-ready"]), "not-ready"],
    ["other taints do not matter", node("True", ["dedicated"]), "ready"],
    ["empty object", {}, "unregistered"],
  ])("%s → %s", (_name, n, want) => {
    expect(nodeReachability(n)).toBe(want);
  });

  it("not-ready and unreachable nodes partition their tasks", () => {
    expect(
      ["ready", "not-ready", "unreachable", "unregistered"].filter((r) =>
        isPartitioned(r as NodeReachability),
      ),
    ).toEqual(["not-ready", "unreachable"]);
  });
});
