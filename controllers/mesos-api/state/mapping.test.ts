import { describe, expect, it } from "vitest";
import type { Framework, Task as TaskObject } from "../../api/index.ts";
import { FrameworkInfoSchema } from "../messages/frameworkInfo.ts";
import { TaskInfoSchema } from "../messages/taskInfo.ts";
import { base64ToUuidText } from "../wire/uuid.ts";
import {
  frameworkInfoFromObject,
  frameworkSpecFromInfo,
  isCompletedTask,
  masterUpdateKey,
  pendingUpdates,
  resourcesFromWire,
  taskObjectName,
  taskSpecFromInfo,
  wireTask,
} from "./mapping.ts";

const info = (fields: Record<string, unknown>) =>
  FrameworkInfoSchema.parse({ user: "", name: "", ...fields });

describe("FrameworkInfo → Framework spec", () => {
  it("maps name, user, roles, capabilities, failover timeout, principal, checkpoint and labels", () => {
    const spec = frameworkSpecFromInfo(
      info({
        name: "marathon",
        user: "root",
        roles: ["web", "batch", "web"],
        capabilities: [{ type: "MULTI_ROLE" }, { type: "PARTITION_AWARE" }, { type: "UNKNOWN" }],
        failover_timeout: 604800,
        principal: "ops",
        checkpoint: true,
        hostname: "sched-1",
        labels: { labels: [{ key: "team", value: "infra" }, { key: "flag" }] },
      }),
      ["batch", "not-a-role-of-it"],
    );
    expect(spec).toEqual({
      name: "marathon",
      user: "root",
      roles: ["web", "batch"],
      failoverTimeout: 604800,
      checkpoint: true,
      capabilities: ["MULTI_ROLE", "PARTITION_AWARE"],
      principal: "ops",
      hostname: "sched-1",
      labels: { team: "infra", flag: "" },
      suppressedRoles: ["batch"],
    });
  });

  it("defaults: the old single role, else '*'; an empty user becomes nobody", () => {
    expect(frameworkSpecFromInfo(info({ role: "analytics" })).roles).toEqual(["analytics"]);
    const spec = frameworkSpecFromInfo(info({}));
    expect(spec).toEqual({ user: "nobody", roles: ["*"], failoverTimeout: 0, checkpoint: false });
  });

  it("shows a Framework object back as a FrameworkInfo with its id", () => {
    const fw = {
      apiVersion: "mesos.operator.dev/v1alpha1",
      kind: "Framework",
      metadata: { name: "m-1", namespace: "mesos" },
      spec: { user: "u", roles: ["a", "b"], failoverTimeout: 5, checkpoint: false, labels: { k: "v" } },
    } as unknown as Framework;
    const out = frameworkInfoFromObject(fw, "uid-0000");
    expect(out).toMatchObject({
      user: "u",
      name: "m-1",
      id: { value: "uid-0000" },
      roles: ["a", "b"],
      failover_timeout: 5,
      labels: { labels: [{ key: "k", value: "v" }] },
    });
    expect(out.capabilities).toContainEqual({ type: "MULTI_ROLE" });
  });
});

describe("TaskInfo → Task spec", () => {
  const taskInfo = TaskInfoSchema.parse({
    name: "sleeper",
    task_id: { value: "fw.sleeper-1.0b2c" },
    agent_id: { value: "node-uid-S0" },
    resources: [
      { name: "cpus", type: "SCALAR", scalar: { value: 0.2 } },
      { name: "mem", type: "SCALAR", scalar: { value: 128 } },
      { name: "disk", type: "SCALAR", scalar: { value: 0 } },
      { name: "ports", type: "RANGES", ranges: { range: [{ begin: 31000, end: 31000 }] } },
    ],
    command: {
      value: "sleep 10",
      environment: { variables: [{ name: "HOST", value: "10.0.0.1" }] },
      uris: [{ value: "http://x/y.tgz" }],
    },
    labels: {
      labels: [
        { key: "sim.mesos.operator.dev/outcome", value: "succeed" },
        { key: "app", value: "web" },
      ],
    },
    kill_policy: { grace_period: { nanoseconds: 3_000_000_000 } },
  });

  it("names the offers and carries resources, command, labels and kill policy", () => {
    const spec = taskSpecFromInfo({
      frameworkObject: "fw-1",
      task: taskInfo,
      offerIds: ["O1", "O1"],
      role: "*",
    });
    expect(spec).toEqual({
      frameworkName: "fw-1",
      taskId: "fw.sleeper-1.0b2c",
      name: "sleeper",
      offerIds: ["O1"],
      agentId: "node-uid-S0",
      role: "*",
      resources: { cpus: 0.2, mem: 128, ports: [{ begin: 31000, end: 31000 }] },
      command: {
        shell: true,
        value: "sleep 10",
        environment: [{ name: "HOST", value: "10.0.0.1" }],
        uris: [{ value: "http://x/y.tgz", extract: true }],
      },
      labels: { "sim.mesos.operator.dev/outcome": "succeed", app: "web" },
      killPolicy: { gracePeriodSeconds: 3 },
    });
  });

  it("pins an operator-placed task to its agent instead of naming offers", () => {
    const spec = taskSpecFromInfo({
      frameworkObject: "fw-1",
      task: taskInfo,
      role: "web",
      pin: { field: "kubernetes.io/hostname", value: "node-a" },
    });
    expect(spec.offerIds).toBeUndefined();
    expect(spec.constraints).toEqual([
      { field: "kubernetes.io/hostname", operator: "CLUSTER", value: "node-a" },
    ]);
  });

  it("maps a Docker container", () => {
    const spec = taskSpecFromInfo({
      frameworkObject: "f",
      task: TaskInfoSchema.parse({
        name: "web",
        task_id: { value: "t" },
        agent_id: { value: "a" },
        resources: [{ name: "cpus", type: "SCALAR", scalar: { value: 1 } }],
        container: {
          type: "DOCKER",
          docker: {
            image: "nginx:1.27",
            network: "BRIDGE",
            port_mappings: [{ host_port: 31001, container_port: 80 }],
          },
        },
      }),
    });
    expect(spec.container).toEqual({
      type: "DOCKER",
      image: "nginx:1.27",
      network: "BRIDGE",
      ports: [{ containerPort: 80, hostPort: 31001, protocol: "TCP" }],
    });
  });

  it("sums scalars and drops zero ones", () => {
    expect(
      resourcesFromWire([
        { name: "cpus", type: "SCALAR", scalar: { value: 0.1 } },
        { name: "cpus", type: "SCALAR", scalar: { value: 0.2 } },
        { name: "gpus", type: "SCALAR", scalar: { value: 0 } },
      ]),
    ).toEqual({ cpus: 0.3 });
  });

  it("makes DNS-label Task names from any task id", () => {
    const name = taskObjectName("mesos-framework-e2e-1a2b3c", "mesos-framework-e2e.sleeper-1.0b2c-UPPER_x");
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(name.length).toBeLessThanOrEqual(63);
  });
});

describe("Task status updates → UPDATE events", () => {
  const uuidA = "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b";
  const uuidB = "1f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b";
  const task = (updates: NonNullable<TaskObject["status"]>["updates"], state = "TASK_RUNNING") =>
    ({
      apiVersion: "mesos.operator.dev/v1alpha1",
      kind: "Task",
      metadata: { name: "fw-t1", namespace: "mesos", uid: "u1" },
      spec: { frameworkName: "fw", taskId: "t1", resources: { cpus: 1 }, labels: { a: "b" } },
      status: { state, agentId: "node-S0", role: "*", updates },
    }) as unknown as TaskObject;

  it("sends unacknowledged reliable updates with a base64 uuid, and master updates once", () => {
    const t = task([
      {
        state: "TASK_STAGING",
        source: "SOURCE_MASTER",
        timestamp: "2026-01-01T00:00:00Z",
        acknowledged: false,
      },
      {
        state: "TASK_STARTING",
        source: "SOURCE_EXECUTOR",
        timestamp: "2026-01-01T00:00:01Z",
        uuid: uuidA,
        acknowledged: true,
      },
      {
        state: "TASK_RUNNING",
        source: "SOURCE_EXECUTOR",
        timestamp: "2026-01-01T00:00:02Z",
        uuid: uuidB,
        acknowledged: false,
      },
      {
        state: "TASK_RUNNING",
        source: "SOURCE_MASTER",
        reason: "REASON_RECONCILIATION",
        timestamp: "2026-01-01T00:00:03Z",
        acknowledged: false,
      },
    ]);
    const pending = pendingUpdates(t, new Set());
    expect(pending.reliable).toHaveLength(1);
    const [running] = pending.reliable;
    expect(running).toMatchObject({
      task_id: { value: "t1" },
      state: "TASK_RUNNING",
      source: "SOURCE_EXECUTOR",
      agent_id: { value: "node-S0" },
      timestamp: Date.parse("2026-01-01T00:00:02Z") / 1000,
    });
    expect(base64ToUuidText(running?.uuid ?? "")).toBe(uuidB);
    // TASK_STAGING is never sent; the master update once.
    expect(pending.master.map((m) => m.status.state)).toEqual(["TASK_RUNNING"]);
    expect(pending.master[0]?.status.uuid).toBeUndefined();
    const sent = new Set(pending.master.map((m) => m.key));
    expect(pendingUpdates(t, sent).master).toEqual([]);
    expect(sent.has(masterUpdateKey(t, t.status!.updates![3]!))).toBe(true);
  });

  it("a terminal task is completed once its terminal update is acknowledged", () => {
    const finished = (acknowledged: boolean) =>
      task(
        [
          {
            state: "TASK_FINISHED",
            source: "SOURCE_EXECUTOR",
            timestamp: "2026-01-01T00:00:05Z",
            uuid: uuidA,
            acknowledged,
          },
        ],
        "TASK_FINISHED",
      );
    expect(isCompletedTask(finished(false))).toBe(false);
    expect(isCompletedTask(finished(true))).toBe(true);
    expect(isCompletedTask(task([]))).toBe(false);
  });

  it("shows a Task object as the Mesos Task of GET_STATE", () => {
    const t = task([
      {
        state: "TASK_RUNNING",
        source: "SOURCE_EXECUTOR",
        timestamp: "2026-01-01T00:00:02Z",
        uuid: uuidB,
        acknowledged: false,
      },
    ]);
    const out = wireTask(t, "fw-id");
    expect(out).toMatchObject({
      name: "fw-t1",
      task_id: { value: "t1" },
      framework_id: { value: "fw-id" },
      agent_id: { value: "node-S0" },
      state: "TASK_RUNNING",
      resources: [{ name: "cpus", type: "SCALAR", scalar: { value: 1 }, allocation_info: { role: "*" } }],
      labels: { labels: [{ key: "a", value: "b" }] },
    });
    expect(out.statuses).toHaveLength(1);
  });

  it("status_update_state is the head of the unacknowledged stream, else the latest state", () => {
    const staging = {
      state: "TASK_STAGING" as const,
      source: "SOURCE_MASTER" as const,
      timestamp: "2026-01-01T00:00:00Z",
      acknowledged: false,
    };
    const update = (state: "TASK_RUNNING" | "TASK_FINISHED", uuid: string, acknowledged: boolean) => ({
      state,
      source: "SOURCE_EXECUTOR" as const,
      timestamp: "2026-01-01T00:00:02Z",
      uuid,
      acknowledged,
    });
    // RUNNING sent, not yet acknowledged (what explicit reconciliation saw answered as STAGING).
    expect(wireTask(task([staging, update("TASK_RUNNING", uuidA, false)]), "f").status_update_state).toBe(
      "TASK_RUNNING",
    );
    // FINISHED waits behind the unacknowledged RUNNING, as in an agent's status update stream.
    expect(
      wireTask(
        task(
          [staging, update("TASK_RUNNING", uuidA, false), update("TASK_FINISHED", uuidB, false)],
          "TASK_FINISHED",
        ),
        "f",
      ).status_update_state,
    ).toBe("TASK_RUNNING");
    expect(
      wireTask(
        task(
          [staging, update("TASK_RUNNING", uuidA, true), update("TASK_FINISHED", uuidB, true)],
          "TASK_FINISHED",
        ),
        "f",
      ).status_update_state,
    ).toBe("TASK_FINISHED");
    expect(wireTask(task([staging], "TASK_STAGING"), "f").status_update_state).toBe("TASK_STAGING");
  });
});
