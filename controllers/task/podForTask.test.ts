import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { Resources } from "../allocator/index.ts";
import { API_VERSION, type Task, TaskSchema } from "../api/index.ts";
import { cpuQuantity, megabytesQuantity } from "./containerResources.ts";
import { isDnsLabel } from "./kubernetesNames.ts";
import { podForTask } from "./podForTask.ts";
import { podNameFor, podNameForTask, podNameForTaskGroup } from "./podIdentity.ts";
import { taskObject } from "./testObjects.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function exampleTasks(file: string): Task[] {
  const docs = parseAllDocuments(readFileSync(join(root, "examples", file), "utf8"));
  return docs.map((d, i) => {
    const raw = d.toJS() as { metadata: Record<string, unknown> };
    return TaskSchema.parse({ ...raw, metadata: { ...raw.metadata, namespace: "team", uid: `uid-${i}` } });
  });
}

const placement = (podName: string) => ({
  podName,
  nodeName: "node-1",
  agentId: "uid-node-1-S0",
  role: "web",
  offerIds: ["mo-O1", "mo-O2"],
});
const options = { defaultImage: "busybox:1.36" };

describe("podForTask: one task", () => {
  const [web] = exampleTasks("task.yaml");
  const name = podNameForTask(web!);
  const pod = podForTask({ tasks: [web!], frameworkId: "fw-uid-0000", placement: placement(name) }, options);

  it("is an unbound pod for our scheduler, owned by the task, never restarted", () => {
    expect(pod.metadata?.name).toBe(name);
    expect(isDnsLabel(name)).toBe(true);
    expect(name).toMatch(/^web-0-[0-9a-f]{10}$/);
    expect(pod.metadata?.namespace).toBe("team");
    expect(pod.spec?.schedulerName).toBe("mesos-operator");
    expect(pod.spec?.nodeName).toBeUndefined();
    expect(pod.spec?.restartPolicy).toBe("Never");
    expect(pod.spec?.terminationGracePeriodSeconds).toBe(10);
    expect(pod.metadata?.ownerReferences).toEqual([
      {
        apiVersion: API_VERSION,
        kind: "Task",
        name: "web-0",
        uid: "uid-0",
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
  });

  it("carries framework and task IDs as labels, and where it goes as annotations", () => {
    expect(pod.metadata?.labels).toEqual({
      app: "web",
      "app.kubernetes.io/managed-by": "mesos-operator",
      "mesos.operator.dev/framework-id": "fw-uid-0000",
      "mesos.operator.dev/task-id": "web-0",
    });
    const a = pod.metadata?.annotations ?? {};
    expect(a["mesos.operator.dev/node-name"]).toBe("node-1");
    expect(a["mesos.operator.dev/agent-id"]).toBe("uid-node-1-S0");
    expect(a["mesos.operator.dev/offer-ids"]).toBe("mo-O1,mo-O2");
    expect(a["mesos.operator.dev/role"]).toBe("web");
    expect(JSON.parse(a["mesos.operator.dev/task-ids"]!)).toEqual({ "web-0": "web-0" });
    expect(JSON.parse(a["mesos.operator.dev/resources"]!)).toEqual({
      "web-0": Resources.fromJSON([
        { name: "cpus", type: "SCALAR", scalar: 0.5 },
        { name: "mem", type: "SCALAR", scalar: 128 },
        { name: "disk", type: "SCALAR", scalar: 64 },
        { name: "ports", type: "RANGES", ranges: [{ begin: 31000, end: 31000 }] },
      ]).toJSON(),
    });
  });

  it("runs the command with the task's resources, ports, environment and health check", () => {
    const c = pod.spec!.containers[0]!;
    expect(c.name).toBe("web-0");
    expect(c.image).toBe("busybox:1.36");
    expect(c.command).toEqual(["/bin/sh", "-c", "httpd -f -p 8080 -h /srv"]);
    expect(c.resources).toEqual({
      requests: { cpu: "500m", memory: "128Mi", "ephemeral-storage": "64Mi" },
      limits: { memory: "128Mi" },
    });
    expect(c.ports).toEqual([{ containerPort: 8080, hostPort: 31000, protocol: "TCP", name: "http" }]);
    expect(c.env).toEqual([
      { name: "MESOS_TASK_ID", value: "web-0" },
      { name: "MESOS_FRAMEWORK_ID", value: "fw-uid-0000" },
      { name: "MESOS_AGENT_ID", value: "uid-node-1-S0" },
      { name: "HOST", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
      { name: "PORT0", value: "31000" },
      { name: "PORTS", value: "31000" },
      { name: "GREETING", value: "hello" },
    ]);
    expect(c.readinessProbe).toEqual({
      httpGet: { port: "http", path: "/" },
      initialDelaySeconds: 15,
      periodSeconds: 5,
      timeoutSeconds: 20,
      failureThreshold: 1,
    });
    expect(c.livenessProbe).toMatchObject({ failureThreshold: 3, initialDelaySeconds: 15 });
  });

  it("is the same manifest every time", () => {
    expect(
      podForTask({ tasks: [web!], frameworkId: "fw-uid-0000", placement: placement(name) }, options),
    ).toEqual(pod);
  });
});

describe("podForTask: a task group is one pod with one container per task", () => {
  const members = exampleTasks("task-group.yaml");
  const name = podNameForTaskGroup("cache", members);
  const pod = podForTask({ tasks: members, frameworkId: "fw", placement: placement(name) }, options);

  it("names the pod after the group, owned by every member, controlled by one", () => {
    expect(name).toMatch(/^cache-[0-9a-f]{10}$/);
    expect(podNameFor(members[1]!, members)).toBe(name);
    expect(podNameForTaskGroup("cache", [...members].reverse())).toBe(name);
    expect(pod.metadata?.ownerReferences?.map((o) => [o.name, o.controller])).toEqual([
      ["cache-exporter", true],
      ["cache-server", false],
    ]);
    expect(pod.metadata?.labels?.["mesos.operator.dev/task-group"]).toBe("cache");
    expect(pod.metadata?.labels?.["mesos.operator.dev/task-id"]).toBeUndefined();
  });

  it("has a container per member with its own resources and command", () => {
    const [exporter, server] = pod.spec!.containers;
    expect(exporter!.name).toBe("cache-exporter");
    expect(exporter!.command).toBeUndefined();
    expect(exporter!.args).toEqual(["redis_exporter", "--redis.addr=localhost:6379"]);
    expect(exporter!.resources?.requests).toEqual({ cpu: "100m", memory: "32Mi" });
    expect(server!.name).toBe("cache-server");
    expect(server!.image).toBe("redis:7");
    expect(server!.command).toBeUndefined();
    expect(server!.resources?.requests).toEqual({ cpu: "250m", memory: "256Mi" });
  });

  it("does not depend on the order the members are listed in", () => {
    const again = podForTask(
      { tasks: [...members].reverse(), frameworkId: "fw", placement: placement(name) },
      options,
    );
    expect(again).toEqual(pod);
  });
});

describe("podForTask: mappings", () => {
  const one = (spec: Record<string, unknown>) => {
    const t = taskObject("t", spec);
    return podForTask({ tasks: [t], frameworkId: "fw", placement: placement(podNameForTask(t)) }, options);
  };

  it.each([
    [{ shell: true, value: "echo hi" }, { command: ["/bin/sh", "-c", "echo hi"] }],
    [
      { shell: false, value: "/bin/echo", arguments: ["hi", "there"] },
      { command: ["/bin/echo"], args: ["hi", "there"] },
    ],
    [{ shell: false, value: "/bin/true" }, { command: ["/bin/true"] }],
    [{ shell: false, arguments: ["--flag"] }, { args: ["--flag"] }],
  ])("command %j", (command, want) => {
    const c = one({ command }).spec!.containers[0]!;
    expect({ command: c.command, args: c.args }).toEqual({ command: undefined, args: undefined, ...want });
  });

  it("a task without a command runs its image's entrypoint; without an image, the default image", () => {
    const c = one({ command: undefined, container: { image: "nginx:1" } }).spec!.containers[0]!;
    expect(c.command).toBeUndefined();
    expect(c.image).toBe("nginx:1");
    expect(one({}).spec!.containers[0]!.image).toBe("busybox:1.36");
  });

  it.each([
    [1, "1000m"],
    [0.5, "500m"],
    [0.001, "1m"],
    [2.25, "2250m"],
  ])("cpus %d → %s", (cpus, q) => expect(cpuQuantity(cpus)).toBe(q));

  it.each([
    [128, "128Mi"],
    [1024, "1024Mi"],
    [0.5, String(2 ** 19)],
    [1.001, String(Math.ceil(1.001 * 2 ** 20))],
  ])("mem %d MB → %s", (mb, q) => expect(megabytesQuantity(mb)).toBe(q));

  it("gpus are requested and limited; memory is limited so an OOM kill maps", () => {
    const c = one({ resources: { cpus: 1, mem: 64, disk: 10, gpus: 2 } }).spec!.containers[0]!;
    expect(c.resources).toEqual({
      requests: { cpu: "1000m", memory: "64Mi", "ephemeral-storage": "10Mi", "nvidia.com/gpu": "2" },
      limits: { memory: "64Mi", "nvidia.com/gpu": "2" },
    });
  });

  it("Mesos labels with valid keys become annotations, and labels when the value is a label value", () => {
    const pod = one({
      labels: {
        "sim.mesos.operator.dev/outcome": "fail",
        "sim.mesos.operator.dev/exit-code": "3",
        "sim.mesos.operator.dev/message": "it broke, badly",
        "not a key": "x",
        "mesos.operator.dev/task-id": "forged",
      },
    });
    expect(pod.metadata?.labels?.["sim.mesos.operator.dev/outcome"]).toBe("fail");
    expect(pod.metadata?.labels?.["sim.mesos.operator.dev/exit-code"]).toBe("3");
    expect(pod.metadata?.labels?.["sim.mesos.operator.dev/message"]).toBeUndefined();
    expect(pod.metadata?.annotations?.["sim.mesos.operator.dev/message"]).toBe("it broke, badly");
    expect(pod.metadata?.annotations?.["sim.mesos.operator.dev/outcome"]).toBe("fail");
    expect(pod.metadata?.annotations?.["not a key"]).toBeUndefined();
    expect(pod.metadata?.labels?.["mesos.operator.dev/task-id"]).toBe("t");
  });

  it("volumes: host paths, sandbox volumes, read-only mounts", () => {
    const pod = one({
      container: {
        image: "x",
        volumes: [
          { containerPath: "/data", hostPath: "/srv/data", mode: "RO" },
          { containerPath: "/scratch" },
        ],
      },
    });
    expect(pod.spec?.volumes).toEqual([
      { name: "c0-v0", hostPath: { path: "/srv/data" } },
      { name: "c0-v1", emptyDir: {} },
    ]);
    expect(pod.spec!.containers[0]!.volumeMounts).toEqual([
      { name: "c0-v0", mountPath: "/data", readOnly: true },
      { name: "c0-v1", mountPath: "/scratch", readOnly: false },
    ]);
  });

  it("secrets, overridden variables, host network, hostname, deadline, forced pulls", () => {
    const pod = one({
      resources: { cpus: 1, ports: [{ begin: 31000, end: 31001 }] },
      command: {
        value: "run",
        environment: [
          { name: "PORT0", value: "8080" },
          { name: "TOKEN", secret: { name: "creds", key: "token" } },
        ],
      },
      container: { image: "x", network: "HOST", hostname: "box", forcePullImage: true },
      maxCompletionTimeSeconds: 90.5,
    });
    const c = pod.spec!.containers[0]!;
    expect(c.env?.filter((e) => e.name.startsWith("PORT"))).toEqual([
      { name: "PORT1", value: "31001" },
      { name: "PORTS", value: "31000,31001" },
      { name: "PORT0", value: "8080" },
    ]);
    expect(c.env?.find((e) => e.name === "TOKEN")).toEqual({
      name: "TOKEN",
      valueFrom: { secretKeyRef: { name: "creds", key: "token" } },
    });
    expect(c.imagePullPolicy).toBe("Always");
    expect(pod.spec?.hostNetwork).toBe(true);
    expect(pod.spec?.hostname).toBe("box");
    expect(pod.spec?.activeDeadlineSeconds).toBe(91);
  });

  it("COMMAND health checks exec the command; zero consecutive failures never kill", () => {
    const c = one({
      healthCheck: { type: "COMMAND", command: { value: "test -f /ok" }, consecutiveFailures: 0 },
    }).spec!.containers[0]!;
    expect(c.readinessProbe?.exec?.command).toEqual(["/bin/sh", "-c", "test -f /ok"]);
    expect(c.livenessProbe).toBeUndefined();
  });
});

describe("pod names", () => {
  it("are valid DNS labels, the same for the same Task and different for another UID", () => {
    const nameArb = fc.stringMatching(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/);
    fc.assert(
      fc.property(nameArb, fc.uuid(), fc.uuid(), (name, uid, other) => {
        const t = taskObject(name, {}, undefined, { uid });
        const n = podNameForTask(t);
        expect(isDnsLabel(n)).toBe(true);
        expect(podNameForTask(taskObject(name, {}, undefined, { uid }))).toBe(n);
        if (other !== uid)
          expect(podNameForTask(taskObject(name, {}, undefined, { uid: other }))).not.toBe(n);
      }),
    );
  });
});
