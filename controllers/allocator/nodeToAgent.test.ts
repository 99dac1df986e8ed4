import { describe, expect, it } from "vitest";
import { matchesSelector } from "./agentSelector.ts";
import { kubeToMesosScalars, parseKubeQuantity } from "./kubeResources.ts";
import { agentIdForNode, labelToAttribute, type NodeLike, nodeToAgent } from "./nodeToAgent.ts";
import { formatResources } from "./resourceText.ts";

describe("parseKubeQuantity", () => {
  it.each([
    ["500m", 0.5],
    ["100m", 0.1],
    ["2", 2],
    ["1.5", 1.5],
    ["32Gi", 32 * 2 ** 30],
    ["512Mi", 512 * 2 ** 20],
    ["1k", 1000],
    ["1M", 1e6],
    ["1e3", 1000],
    ["5E2", 500],
    ["250u", 0.00025],
    ["3n", 3e-9],
    [".5", 0.5],
  ])("%s = %d", (text, value) => {
    expect(parseKubeQuantity(text)).toBeCloseTo(value, 12);
  });

  it.each(["", "abc", "1Gb", "1.2.3", "m", "1 Gi"])("refuses %j", (text) => {
    expect(() => parseKubeQuantity(text)).toThrow(RangeError);
  });

  it("maps names and units to Mesos", () => {
    expect(
      kubeToMesosScalars({
        cpu: "3500m",
        memory: "32Gi",
        "ephemeral-storage": "100Gi",
        "nvidia.com/gpu": "2",
        pods: "110",
      }),
    ).toEqual({ cpus: 3.5, mem: 32768, disk: 102400, gpus: 2 });
  });
});

const node = (over: Partial<NodeLike> = {}): NodeLike => ({
  metadata: {
    name: "node-1",
    uid: "6f1c-uid",
    labels: { "topology.kubernetes.io/zone": "z1", rack: "r1", "cores-per-socket": "16", type: "kwok" },
  },
  status: {
    allocatable: { cpu: "8", memory: "32Gi", "ephemeral-storage": "100Gi", pods: "110" },
    addresses: [{ type: "InternalIP", address: "10.0.0.1" }],
  },
  ...over,
});

describe("nodeToAgent", () => {
  it("turns allocatable into Mesos resources plus the default port range", () => {
    const agent = nodeToAgent(node())!;
    expect(formatResources(agent.resources)).toBe("cpus:8;mem:32768;disk:102400;ports:[31000-32000]");
    expect(agent.id).toBe("6f1c-uid-S0");
    expect(agent.nodeName).toBe("node-1");
    expect(agent.hostname).toBe("node-1");
    expect(agent.unschedulable).toBe(false);
    expect(agent.domain).toEqual({ region: undefined, zone: "z1" });
  });

  it("turns labels into attributes (numbers become SCALAR)", () => {
    const agent = nodeToAgent(node())!;
    expect(agent.attributes).toContainEqual({ name: "rack", type: "TEXT", text: "r1" });
    expect(agent.attributes).toContainEqual({ name: "cores-per-socket", type: "SCALAR", scalar: 16 });
    expect(labelToAttribute("v", "1.2.3")).toEqual({ name: "v", type: "TEXT", text: "1.2.3" });
  });

  it("maps GPUs, uses the Hostname address and configured ports", () => {
    const agent = nodeToAgent(
      node({
        status: {
          allocatable: { cpu: "500m", memory: "1Gi", "nvidia.com/gpu": "1" },
          addresses: [{ type: "Hostname", address: "gpu-host" }],
        },
      }),
      { portRanges: [{ begin: 8000, end: 8100 }] },
    )!;
    expect(formatResources(agent.resources)).toBe("cpus:0.5;gpus:1;mem:1024;ports:[8000-8100]");
    expect(agent.hostname).toBe("gpu-host");
  });

  it("marks cordoned nodes unschedulable", () => {
    expect(nodeToAgent(node({ spec: { unschedulable: true } }))!.unschedulable).toBe(true);
  });

  it("carves static reservations from an annotation, leaving out what does not fit", () => {
    const n = node();
    n.metadata!.annotations = {
      "mesos.operator.dev/reservations": "cpus(ads):2;mem(ads):1024;cpus(big):100",
    };
    const agent = nodeToAgent(n)!;
    expect(formatResources(agent.resources)).toBe(
      "cpus:6;cpus(ads):2;mem:31744;mem(ads):1024;disk:102400;ports:[31000-32000]",
    );
  });

  it("applies the agent selector", () => {
    expect(nodeToAgent(node(), { agentSelector: { matchLabels: { type: "kwok" } } })).toBeDefined();
    expect(nodeToAgent(node(), { agentSelector: { matchLabels: { type: "real" } } })).toBeUndefined();
  });

  it("falls back to the name when the node has no uid", () => {
    expect(agentIdForNode({ metadata: { name: "n" } })).toBe("n-S0");
  });
});

describe("matchesSelector", () => {
  const labels = { a: "1", b: "2" };
  it.each([
    [undefined, true],
    [{}, true],
    [{ matchLabels: { a: "1" } }, true],
    [{ matchLabels: { a: "2" } }, false],
    [{ matchExpressions: [{ key: "a", operator: "In" as const, values: ["1", "3"] }] }, true],
    [{ matchExpressions: [{ key: "a", operator: "NotIn" as const, values: ["1"] }] }, false],
    [{ matchExpressions: [{ key: "c", operator: "NotIn" as const, values: ["1"] }] }, true],
    [{ matchExpressions: [{ key: "b", operator: "Exists" as const }] }, true],
    [{ matchExpressions: [{ key: "c", operator: "Exists" as const }] }, false],
    [{ matchExpressions: [{ key: "c", operator: "DoesNotExist" as const }] }, true],
    [{ matchLabels: { a: "1" }, matchExpressions: [{ key: "b", operator: "DoesNotExist" as const }] }, false],
  ])("%j → %s", (selector, expected) => {
    expect(matchesSelector(labels, selector)).toBe(expected);
  });
});

describe("maintenance annotation", () => {
  const annotated = (value: string) => ({
    metadata: { name: "n1", uid: "u1", annotations: { "mesos.operator.dev/maintenance": value } },
    status: { allocatable: { cpu: "2", memory: "1Gi" } },
  });
  const u = { start: { nanoseconds: 2e18 }, duration: { nanoseconds: 3600e9 } };

  it("a DRAINING node's agent carries the unavailability", () => {
    expect(
      nodeToAgent(annotated(JSON.stringify({ mode: "DRAINING", unavailability: u })))?.unavailability,
    ).toEqual(u);
  });

  it("a DOWN node is no agent", () => {
    expect(
      nodeToAgent(annotated(JSON.stringify({ mode: "DOWN", unavailability: u, cordoned: true }))),
    ).toBeUndefined();
  });

  it.each(["{", "[]", JSON.stringify({ mode: "UP", unavailability: u }), JSON.stringify({ mode: "DOWN" })])(
    "an unreadable annotation (%s) is ignored",
    (value) => {
      const a = nodeToAgent(annotated(value));
      expect(a).toBeDefined();
      expect(a?.unavailability).toBeUndefined();
    },
  );
});
