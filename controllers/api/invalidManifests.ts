// Manifests the API server must refuse, each with the words it must refuse them with.
// The e2e test (test/e2e/crdValidation.test.ts) sends them to a real API server; the unit test
// (api.test.ts) checks that zod and the generated OpenAPI schema refuse them too, so
// the operator and kubectl users get the same answer.
import { API_VERSION } from "./crd.ts";

export type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec: unknown };

export interface InvalidCase {
  name: string;
  /**
   * schema: refused by the OpenAPI schema (types, enums, bounds, patterns, list types);
   * cel: refused by a CEL rule that zod mirrors;
   * transition: refused by a CEL rule that compares with the old object (API server only).
   */
  kind: "schema" | "cel" | "transition";
  /** The object as created. For transitions it is valid, and `update` is then applied to it. */
  manifest: Manifest;
  /** Transition cases: the whole object sent as an update. */
  update?: Manifest;
  /** A merge patch of the status subresource, sent after creating `manifest` (valid). */
  statusPatch?: Record<string, unknown>;
  /** A substring of the API server's error (for cel cases, exactly the rule's message). */
  message: string;
}

const clone = <T>(x: T): T => structuredClone(x);
// biome-ignore lint/suspicious/noExplicitAny: test data is edited freely
type Json = Record<string, any>;

function edit(base: Manifest, name: string, f: (spec: Json) => void): Manifest {
  const m = clone(base);
  m.metadata.name = name;
  f(m.spec as Json);
  return m;
}

export const validFramework: Manifest = {
  apiVersion: API_VERSION,
  kind: "Framework",
  metadata: { name: "fw" },
  spec: {
    user: "nobody",
    principal: "fw-principal",
    roles: ["web", "batch"],
    checkpoint: true,
    capabilities: ["MULTI_ROLE"],
  },
};

export const validTask: Manifest = {
  apiVersion: API_VERSION,
  kind: "Task",
  metadata: { name: "task" },
  spec: {
    frameworkName: "fw",
    resources: { cpus: 0.5, mem: 128, ports: [{ begin: 31000, end: 31001 }] },
    command: { value: "sleep 3600" },
    container: { image: "busybox:1.36", ports: [{ containerPort: 80, hostPort: 31000 }] },
  },
};

export const validOffer: Manifest = {
  apiVersion: API_VERSION,
  kind: "Offer",
  metadata: { name: "offer" },
  spec: {
    offerId: "a1b2c3-O1",
    frameworkName: "fw",
    agentId: "a1b2c3-S1",
    nodeName: "node-1",
    hostname: "node-1",
    role: "web",
    resources: [
      { name: "cpus", type: "SCALAR", scalar: 4 },
      { name: "mem", type: "SCALAR", scalar: 8192 },
      { name: "ports", type: "RANGES", ranges: [{ begin: 31000, end: 32000 }] },
    ],
    attributes: [{ name: "rack", type: "TEXT", text: "r1" }],
  },
};

export const validRole: Manifest = {
  apiVersion: API_VERSION,
  kind: "Role",
  metadata: { name: "role" },
  spec: { weight: 2, quota: { guarantee: { cpus: 1 }, limit: { cpus: 4 } } },
};

const task = (name: string, f: (s: Json) => void) => edit(validTask, name, f);
const fw = (name: string, f: (s: Json) => void) => edit(validFramework, name, f);
const offer = (name: string, f: (s: Json) => void) => edit(validOffer, name, f);
const role = (name: string, f: (s: Json) => void) => edit(validRole, name, f);

/** A transition case: create `base` (renamed), then send it changed by `f`. */
function transition(name: string, base: Manifest, f: (s: Json) => void, message: string): InvalidCase {
  const manifest = edit(base, name, () => undefined);
  return { name, kind: "transition", manifest, update: edit(manifest, name, f), message };
}

export const invalidCases: InvalidCase[] = [
  // ---- OpenAPI schema: types, bounds, enums, patterns, list types
  {
    name: "task-negative-cpus",
    kind: "schema",
    manifest: task("task-negative-cpus", (s) => {
      s.resources.cpus = -1;
    }),
    message: "spec.resources.cpus in body should be greater than or equal to 0",
  },
  {
    name: "task-fractional-gpus",
    kind: "schema",
    manifest: task("task-fractional-gpus", (s) => {
      s.resources.gpus = 0.5;
    }),
    message: "spec.resources.gpus in body must be of type integer",
  },
  {
    name: "task-port-out-of-range",
    kind: "schema",
    manifest: task("task-port-out-of-range", (s) => {
      s.resources.ports = [{ begin: 31000, end: 70000 }];
    }),
    message: "spec.resources.ports[0].end in body should be less than or equal to 65535",
  },
  {
    name: "task-without-framework",
    kind: "schema",
    manifest: task("task-without-framework", (s) => {
      delete s.frameworkName;
    }),
    message: "spec.frameworkName: Required value",
  },
  {
    name: "task-unknown-constraint-operator",
    kind: "schema",
    manifest: task("task-unknown-constraint-operator", (s) => {
      s.constraints = [{ field: "hostname", operator: "IS", value: "node-1" }];
    }),
    message: 'spec.constraints[0].operator: Unsupported value: "IS"',
  },
  {
    name: "task-relative-host-path",
    kind: "schema",
    manifest: task("task-relative-host-path", (s) => {
      s.container.volumes = [{ containerPath: "/data", hostPath: "data" }];
    }),
    message: "spec.container.volumes[0].hostPath in body should match",
  },
  {
    name: "framework-role-leading-slash",
    kind: "schema",
    manifest: fw("framework-role-leading-slash", (s) => {
      s.roles = ["/web"];
    }),
    message: "spec.roles[0] in body should match",
  },
  {
    name: "framework-role-dot-dot",
    kind: "schema",
    manifest: fw("framework-role-dot-dot", (s) => {
      s.roles = ["eng/.."];
    }),
    message: "spec.roles[0] in body should match",
  },
  {
    name: "framework-role-whitespace",
    kind: "schema",
    manifest: fw("framework-role-whitespace", (s) => {
      s.roles = ["web team"];
    }),
    message: "spec.roles[0] in body should match",
  },
  {
    name: "framework-role-leading-dash",
    kind: "schema",
    manifest: fw("framework-role-leading-dash", (s) => {
      s.roles = ["-web"];
    }),
    message: "spec.roles[0] in body should match",
  },
  {
    name: "framework-role-double-slash",
    kind: "schema",
    manifest: fw("framework-role-double-slash", (s) => {
      s.roles = ["eng//web"];
    }),
    message: "spec.roles[0] in body should match",
  },
  {
    name: "framework-duplicate-role",
    kind: "schema",
    manifest: fw("framework-duplicate-role", (s) => {
      s.roles = ["web", "web"];
    }),
    message: 'spec.roles[1]: Duplicate value: "web"',
  },
  {
    name: "framework-unknown-capability",
    kind: "schema",
    manifest: fw("framework-unknown-capability", (s) => {
      s.capabilities = ["TELEPORTATION"];
    }),
    message: 'spec.capabilities[0]: Unsupported value: "TELEPORTATION"',
  },
  {
    name: "framework-without-user",
    kind: "schema",
    manifest: fw("framework-without-user", (s) => {
      delete s.user;
    }),
    message: "spec.user: Required value",
  },
  {
    name: "offer-refuse-over-a-year",
    kind: "schema",
    manifest: offer("offer-refuse-over-a-year", (s) => {
      s.decline = { refuseSeconds: 40_000_000 };
    }),
    message: "spec.decline.refuseSeconds in body should be less than or equal to 31536000",
  },
  {
    name: "role-zero-weight",
    kind: "schema",
    manifest: role("role-zero-weight", (s) => {
      s.weight = 0;
    }),
    message: "spec.weight in body should be greater than 0",
  },
  {
    name: "role-invalid-name",
    kind: "schema",
    manifest: role("role-invalid-name", (s) => {
      s.name = "eng/";
      delete s.quota;
    }),
    message: "spec.name in body should match",
  },
  {
    name: "task-status-unknown-state",
    kind: "schema",
    manifest: task("task-status-unknown-state", () => undefined),
    statusPatch: { status: { state: "TASK_SLEEPING" } },
    message: 'status.state: Unsupported value: "TASK_SLEEPING"',
  },
  {
    name: "task-status-unknown-reason",
    kind: "schema",
    manifest: task("task-status-unknown-reason", () => undefined),
    statusPatch: { status: { state: "TASK_FAILED", reason: "REASON_BAD_LUCK" } },
    message: 'status.reason: Unsupported value: "REASON_BAD_LUCK"',
  },
  {
    name: "task-status-update-bad-uuid",
    kind: "schema",
    manifest: task("task-status-update-bad-uuid", () => undefined),
    statusPatch: {
      status: { updates: [{ state: "TASK_RUNNING", timestamp: "2026-01-01T00:00:00Z", uuid: "not-a-uuid" }] },
    },
    message: "updates[0].uuid in body should match '^[0-9a-f]{8}-",
  },

  // ---- CEL rules with TypeScript mirrors
  {
    name: "task-port-range-reversed",
    kind: "cel",
    manifest: task("task-port-range-reversed", (s) => {
      s.resources.ports = [{ begin: 31001, end: 31000 }];
      delete s.container.ports;
    }),
    message: "a range's begin must not be greater than its end",
  },
  {
    name: "task-no-resources",
    kind: "cel",
    manifest: task("task-no-resources", (s) => {
      s.resources = {};
      delete s.container.ports;
    }),
    message: "a task must use some resources (cpus, mem, disk, gpus or ports)",
  },
  {
    name: "task-nothing-to-run",
    kind: "cel",
    manifest: task("task-nothing-to-run", (s) => {
      delete s.command;
      delete s.container;
    }),
    message: "a task needs something to run: spec.command or spec.container.image",
  },
  {
    name: "task-shell-without-value",
    kind: "cel",
    manifest: task("task-shell-without-value", (s) => {
      s.command = { shell: true, arguments: ["-c", "true"] };
    }),
    message: "command.value is required when command.shell is true (it is the shell command to run)",
  },
  {
    name: "task-env-value-and-secret",
    kind: "cel",
    manifest: task("task-env-value-and-secret", (s) => {
      s.command.environment = [{ name: "TOKEN", value: "x", secret: { name: "tokens", key: "t" } }];
    }),
    message: "an environment variable takes either value or secret, not both",
  },
  {
    name: "task-docker-without-image",
    kind: "cel",
    manifest: task("task-docker-without-image", (s) => {
      s.container = { type: "DOCKER" };
    }),
    message: "a DOCKER container needs an image",
  },
  {
    name: "task-host-port-outside-resources",
    kind: "cel",
    manifest: task("task-host-port-outside-resources", (s) => {
      s.container.ports = [{ containerPort: 80, hostPort: 8080 }];
    }),
    message: "every container hostPort must lie within the task's resources.ports",
  },
  {
    name: "task-http-check-without-http",
    kind: "cel",
    manifest: task("task-http-check-without-http", (s) => {
      s.healthCheck = { type: "HTTP", tcp: { port: 80 } };
    }),
    message:
      "a health check needs the section matching its type: command for COMMAND, http for HTTP, tcp for TCP",
  },
  {
    name: "task-cluster-without-value",
    kind: "cel",
    manifest: task("task-cluster-without-value", (s) => {
      s.constraints = [{ field: "rack", operator: "CLUSTER" }];
    }),
    message: "CLUSTER, LIKE, UNLIKE and MAX_PER constraints need a value",
  },
  {
    name: "task-unique-with-value",
    kind: "cel",
    manifest: task("task-unique-with-value", (s) => {
      s.constraints = [{ field: "hostname", operator: "UNIQUE", value: "node-1" }];
    }),
    message: "a UNIQUE constraint takes no value",
  },
  {
    name: "task-max-per-not-a-number",
    kind: "cel",
    manifest: task("task-max-per-not-a-number", (s) => {
      s.constraints = [{ field: "rack", operator: "MAX_PER", value: "two" }];
    }),
    message: "the value of a MAX_PER or GROUP_BY constraint must be a positive whole number",
  },
  {
    name: "task-group-docker",
    kind: "cel",
    manifest: task("task-group-docker", (s) => {
      s.taskGroup = { name: "g", size: 2 };
      s.container.type = "DOCKER";
    }),
    message:
      "tasks in a task group cannot use a DOCKER container (Mesos LAUNCH_GROUP refuses it); use type MESOS",
  },
  {
    name: "framework-suppressed-role-not-subscribed",
    kind: "cel",
    manifest: fw("framework-suppressed-role-not-subscribed", (s) => {
      s.suppressedRoles = ["analytics"];
    }),
    message: "every role in suppressedRoles must also be listed in roles",
  },
  {
    name: "framework-offer-filter-role-not-subscribed",
    kind: "cel",
    manifest: fw("framework-offer-filter-role-not-subscribed", (s) => {
      s.offerFilters = [{ role: "analytics", minAllocatableResources: [{ cpus: 1 }] }];
    }),
    message: "offerFilters may only name roles listed in roles",
  },
  {
    name: "role-guarantee-above-limit",
    kind: "cel",
    manifest: role("role-guarantee-above-limit", (s) => {
      s.quota = { guarantee: { cpus: 8, mem: 1024 }, limit: { cpus: 4, mem: 2048 } };
    }),
    message: "quota guarantee.cpus must not exceed limit.cpus",
  },
  {
    name: "role-quota-on-nested-role",
    kind: "cel",
    manifest: role("role-quota-on-nested-role", (s) => {
      s.name = "eng/web";
    }),
    message: "quota can only be set on top-level roles (Mesos refuses quota for nested roles such as a/b)",
  },
  {
    name: "offer-scalar-with-ranges",
    kind: "cel",
    manifest: offer("offer-scalar-with-ranges", (s) => {
      s.resources = [{ name: "gpus", type: "SCALAR", ranges: [{ begin: 0, end: 1 }] }];
    }),
    message:
      "a resource must carry exactly the value of its type: scalar for SCALAR, ranges for RANGES, set for SET",
  },
  {
    name: "offer-cpus-as-set",
    kind: "cel",
    manifest: offer("offer-cpus-as-set", (s) => {
      s.resources = [{ name: "cpus", type: "SET", set: ["a"] }];
    }),
    message: "cpus, mem, disk and gpus are SCALAR resources and ports is a RANGES resource",
  },
  {
    name: "offer-text-attribute-without-text",
    kind: "cel",
    manifest: offer("offer-text-attribute-without-text", (s) => {
      s.attributes = [{ name: "rack", type: "TEXT", scalar: 1 }];
    }),
    message: "an attribute must carry exactly the value of its type (text, scalar, ranges or set)",
  },
  {
    name: "task-status-ack-without-uuid",
    kind: "cel",
    manifest: task("task-status-ack-without-uuid", () => undefined),
    statusPatch: {
      status: { updates: [{ state: "TASK_LOST", timestamp: "2026-01-01T00:00:00Z", acknowledged: true }] },
    },
    message: "only updates with a uuid can be acknowledged",
  },

  // ---- transition rules (oldSelf)
  transition(
    "task-resources-changed",
    validTask,
    (s) => {
      s.resources.cpus = 2;
    },
    "spec.resources is immutable",
  ),
  transition(
    "task-offer-ids-added",
    validTask,
    (s) => {
      s.offerIds = ["a1b2c3-O7"];
    },
    "spec.offerIds is immutable",
  ),
  transition(
    "task-command-changed",
    validTask,
    (s) => {
      s.command.value = "sleep 1";
    },
    "a task's spec cannot change after creation, except to set spec.kill (delete and recreate it instead)",
  ),
  transition(
    "task-kill-withdrawn",
    task("task-kill-withdrawn", (s) => {
      s.kill = {};
    }),
    (s) => {
      delete s.kill;
    },
    "spec.kill cannot be changed or removed once set",
  ),
  transition(
    "framework-user-changed",
    validFramework,
    (s) => {
      s.user = "root";
    },
    "spec.user is immutable",
  ),
  transition(
    "framework-principal-removed",
    validFramework,
    (s) => {
      delete s.principal;
    },
    "spec.principal is immutable (Mesos refuses to change a framework's principal)",
  ),
  transition(
    "framework-checkpoint-changed",
    validFramework,
    (s) => {
      s.checkpoint = false;
    },
    "spec.checkpoint is immutable",
  ),
  transition(
    "offer-resources-changed",
    validOffer,
    (s) => {
      s.resources[0].scalar = 64;
    },
    "an offer's contents are immutable; only spec.decline may be set",
  ),
  transition(
    "offer-decline-withdrawn",
    offer("offer-decline-withdrawn", (s) => {
      s.decline = { refuseSeconds: 10 };
    }),
    (s) => {
      delete s.decline;
    },
    "spec.decline cannot be changed or removed once set",
  ),
  transition(
    "role-name-changed",
    role("role-name-changed", (s) => {
      s.name = "analytics";
    }),
    (s) => {
      s.name = "reporting";
    },
    "spec.name (the Mesos role name) is immutable",
  ),
];

/** Valid changes that must go through (the transition rules must not be too strict). */
export const validUpdates: { name: string; manifest: Manifest; update: Manifest }[] = [
  {
    name: "task-kill-requested",
    manifest: edit(validTask, "task-kill-requested", () => undefined),
    update: edit(validTask, "task-kill-requested", (s) => {
      s.kill = { gracePeriodSeconds: 5 };
    }),
  },
  {
    name: "offer-declined",
    manifest: edit(validOffer, "offer-declined", () => undefined),
    update: edit(validOffer, "offer-declined", (s) => {
      s.decline = { refuseSeconds: 30 };
    }),
  },
  {
    name: "framework-roles-and-name-changed",
    manifest: edit(validFramework, "framework-roles-and-name-changed", () => undefined),
    update: edit(validFramework, "framework-roles-and-name-changed", (s) => {
      s.roles = ["web", "batch", "analytics"];
      s.suppressedRoles = ["analytics"];
      s.name = "renamed";
      s.failoverTimeout = 3600;
    }),
  },
  {
    name: "role-weight-and-quota-changed",
    manifest: edit(validRole, "role-weight-and-quota-changed", () => undefined),
    update: edit(validRole, "role-weight-and-quota-changed", (s) => {
      s.weight = 3;
      s.quota.limit.cpus = 16;
    }),
  },
];
