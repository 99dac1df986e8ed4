// Test support (not used by the operator): valid Framework, Task, Offer and Role objects, parsed by
// the API's own schemas so defaults are filled in as the operator would see them.
import {
  API_VERSION,
  type Framework,
  FrameworkSchema,
  type Role,
  RoleSchema,
  type Task,
  TaskSchema,
} from "../api/index.ts";

type Loose = Record<string, unknown>;

export function taskObject(name: string, spec: Loose = {}, status?: Loose, metadata: Loose = {}): Task {
  return TaskSchema.parse({
    apiVersion: API_VERSION,
    kind: "Task",
    metadata: { name, namespace: "ns", uid: `uid-${name}`, generation: 1, ...metadata },
    spec: { frameworkName: "fw", resources: { cpus: 1, mem: 128 }, command: { value: "sleep 10" }, ...spec },
    ...(status === undefined ? {} : { status }),
  });
}

export function frameworkObject(
  name = "fw",
  spec: Loose = {},
  status?: Loose,
  metadata: Loose = {},
): Framework {
  return FrameworkSchema.parse({
    apiVersion: API_VERSION,
    kind: "Framework",
    metadata: { name, namespace: "ns", uid: `uid-${name}`, generation: 1, ...metadata },
    spec: { user: "nobody", ...spec },
    ...(status === undefined ? {} : { status }),
  });
}

export function roleObject(name: string, spec: Loose = {}, metadata: Loose = {}): Role {
  return RoleSchema.parse({
    apiVersion: API_VERSION,
    kind: "Role",
    metadata: {
      name,
      uid: `uid-${name}`,
      generation: 1,
      creationTimestamp: "2026-01-01T00:00:00Z",
      ...metadata,
    },
    spec,
  });
}

/** A launched task's status (TASK_STAGING unless `state` says otherwise). */
export function launchedStatus(podName: string, extra: Loose = {}): Loose {
  return {
    state: "TASK_STAGING",
    podName,
    nodeName: "n1",
    agentId: "uid-n1-S0",
    role: "*",
    offerIds: ["o-1"],
    ...extra,
  };
}
