import { describe, expect, it } from "vitest";
import { type ContainerLike, type PodLike, podKey, podRequests, podUsage } from "./podUsage.ts";
import { formatResources } from "./resourceText.ts";

const c = (requests: Record<string, string>, extra: Partial<ContainerLike> = {}): ContainerLike => ({
  resources: { requests },
  ...extra,
});

const pod = (spec: PodLike["spec"], phase = "Running"): PodLike => ({
  metadata: { namespace: "ns", name: "p" },
  spec: { nodeName: "node-1", ...spec },
  status: { phase },
});

describe("podRequests", () => {
  it.each<[string, PodLike["spec"], Record<string, number>]>([
    ["one container", { containers: [c({ cpu: "500m", memory: "256Mi" })] }, { cpus: 0.5, mem: 256 }],
    [
      "containers add up",
      { containers: [c({ cpu: "1", memory: "1Gi" }), c({ cpu: "250m", memory: "512Mi" })] },
      { cpus: 1.25, mem: 1536 },
    ],
    [
      "an init container larger than the containers wins (max rule)",
      { containers: [c({ cpu: "1", memory: "1Gi" })], initContainers: [c({ cpu: "2", memory: "128Mi" })] },
      { cpus: 2, mem: 1024 },
    ],
    [
      "init containers run one at a time: their max counts, not their sum",
      { containers: [c({ cpu: "100m" })], initContainers: [c({ cpu: "1" }), c({ cpu: "1" })] },
      { cpus: 1 },
    ],
    [
      "a sidecar adds to the containers and to later init containers",
      {
        containers: [c({ cpu: "1" })],
        initContainers: [c({ cpu: "500m" }, { restartPolicy: "Always" }), c({ cpu: "2" })],
      },
      { cpus: 2.5 },
    ],
    [
      "overhead is added",
      { containers: [c({ cpu: "1", memory: "1Gi" })], overhead: { cpu: "250m", memory: "120Mi" } },
      { cpus: 1.25, mem: 1144 },
    ],
    [
      "limits stand in for missing requests",
      { containers: [{ resources: { limits: { cpu: "2", memory: "1Gi" }, requests: { cpu: "1" } } }] },
      { cpus: 1, mem: 1024 },
    ],
    [
      "GPUs and ephemeral storage",
      { containers: [c({ "nvidia.com/gpu": "1", "ephemeral-storage": "2Gi" })] },
      { gpus: 1, disk: 2048 },
    ],
    ["no requests", { containers: [{}] }, {}],
  ])("%s", (_name, spec, expected) => {
    expect(podRequests(pod(spec))).toEqual(expected);
  });
});

describe("podUsage", () => {
  it("includes host ports as ports ranges", () => {
    const usage = podUsage(
      pod({ containers: [c({ cpu: "1" }, { ports: [{ hostPort: 31001 }, { hostPort: 31000 }, {}] })] }),
    );
    expect(formatResources(usage)).toBe("cpus:1;ports:[31000-31001]");
  });

  it.each(["Succeeded", "Failed"])("a %s pod holds nothing", (phase) => {
    expect(podUsage(pod({ containers: [c({ cpu: "1" })] }, phase)).isEmpty).toBe(true);
  });

  it("a Pending or Running pod bound to a node holds its requests", () => {
    expect(podUsage(pod({ containers: [c({ cpu: "1" })] }, "Pending")).scalar("cpus")).toBe(1);
  });

  it("an unbound pod holds nothing on any node", () => {
    expect(podUsage(pod({ nodeName: undefined, containers: [c({ cpu: "1" })] })).isEmpty).toBe(true);
  });

  it("keys pods by namespace/name", () => {
    expect(podKey(pod({}))).toBe("ns/p");
  });
});
