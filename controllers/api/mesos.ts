// Mesos vocabulary shared by the four kinds: enum names exactly as in include/mesos/v1/mesos.proto
// (see shared/mesos/semantics.md §2), role names, and the two resource shapes.
import { z } from "zod";
import { boundedRecord, cel, setList } from "./k8s.ts";

// ---------------------------------------------------------------------------------------------
// Enums (names as on the Mesos wire; numbers kept for the protobuf-shaped parts of the Mesos API)

/** TaskState, with the Mesos enum numbers. */
export const TASK_STATE_NUMBERS = {
  TASK_STAGING: 6,
  TASK_STARTING: 0,
  TASK_RUNNING: 1,
  TASK_KILLING: 8,
  TASK_FINISHED: 2,
  TASK_FAILED: 3,
  TASK_KILLED: 4,
  TASK_ERROR: 7,
  TASK_LOST: 5,
  TASK_DROPPED: 9,
  TASK_UNREACHABLE: 10,
  TASK_GONE: 11,
  TASK_GONE_BY_OPERATOR: 12,
  TASK_UNKNOWN: 13,
} as const;
export type TaskState = keyof typeof TASK_STATE_NUMBERS;
export const TASK_STATES = Object.keys(TASK_STATE_NUMBERS) as [TaskState, ...TaskState[]];

/**
 * Terminal states as the Mesos master treats them (`isTerminalState` plus TASK_GONE_BY_OPERATOR):
 * resources are released and the state is never left (TASK_LOST may be contradicted by a healed
 * partition, see semantics.md §2.6).
 */
export const TERMINAL_TASK_STATES: ReadonlySet<TaskState> = new Set<TaskState>([
  "TASK_FINISHED",
  "TASK_FAILED",
  "TASK_KILLED",
  "TASK_ERROR",
  "TASK_LOST",
  "TASK_DROPPED",
  "TASK_GONE",
  "TASK_GONE_BY_OPERATOR",
]);
export const isTerminalTaskState = (s: TaskState): boolean => TERMINAL_TASK_STATES.has(s);

/** TaskStatus.Reason (v1 names), with the Mesos enum numbers. */
export const TASK_REASON_NUMBERS = {
  REASON_COMMAND_EXECUTOR_FAILED: 0,
  REASON_EXECUTOR_TERMINATED: 1,
  REASON_EXECUTOR_UNREGISTERED: 2,
  REASON_FRAMEWORK_REMOVED: 3,
  REASON_GC_ERROR: 4,
  REASON_INVALID_FRAMEWORKID: 5,
  REASON_INVALID_OFFERS: 6,
  REASON_MASTER_DISCONNECTED: 7,
  REASON_CONTAINER_LIMITATION_MEMORY: 8,
  REASON_RECONCILIATION: 9,
  REASON_AGENT_DISCONNECTED: 10,
  REASON_AGENT_REMOVED: 11,
  REASON_AGENT_RESTARTED: 12,
  REASON_AGENT_UNKNOWN: 13,
  REASON_TASK_INVALID: 14,
  REASON_TASK_UNAUTHORIZED: 15,
  REASON_TASK_UNKNOWN: 16,
  REASON_CONTAINER_PREEMPTED: 17,
  REASON_RESOURCES_UNKNOWN: 18,
  REASON_CONTAINER_LIMITATION: 19,
  REASON_CONTAINER_LIMITATION_DISK: 20,
  REASON_CONTAINER_LAUNCH_FAILED: 21,
  REASON_CONTAINER_UPDATE_FAILED: 22,
  REASON_EXECUTOR_REGISTRATION_TIMEOUT: 23,
  REASON_EXECUTOR_REREGISTRATION_TIMEOUT: 24,
  REASON_TASK_GROUP_INVALID: 25,
  REASON_TASK_GROUP_UNAUTHORIZED: 26,
  REASON_IO_SWITCHBOARD_EXITED: 27,
  REASON_TASK_CHECK_STATUS_UPDATED: 28,
  REASON_TASK_HEALTH_CHECK_STATUS_UPDATED: 29,
  REASON_TASK_KILLED_DURING_LAUNCH: 30,
  REASON_AGENT_REMOVED_BY_OPERATOR: 31,
  REASON_AGENT_REREGISTERED: 32,
  REASON_MAX_COMPLETION_TIME_REACHED: 33,
  REASON_AGENT_DRAINING: 34,
} as const;
export type TaskReason = keyof typeof TASK_REASON_NUMBERS;
export const TASK_REASONS = Object.keys(TASK_REASON_NUMBERS) as [TaskReason, ...TaskReason[]];

/** TaskStatus.Source, with the Mesos enum numbers. */
export const TASK_SOURCE_NUMBERS = { SOURCE_MASTER: 0, SOURCE_AGENT: 1, SOURCE_EXECUTOR: 2 } as const;
export type TaskSource = keyof typeof TASK_SOURCE_NUMBERS;
export const TASK_SOURCES = Object.keys(TASK_SOURCE_NUMBERS) as [TaskSource, ...TaskSource[]];

/** FrameworkInfo.Capability.Type (UNKNOWN=0 is not a capability one can ask for). */
export const FRAMEWORK_CAPABILITIES = [
  "REVOCABLE_RESOURCES",
  "TASK_KILLING_STATE",
  "GPU_RESOURCES",
  "SHARED_RESOURCES",
  "PARTITION_AWARE",
  "MULTI_ROLE",
  "RESERVATION_REFINEMENT",
  "REGION_AWARE",
] as const;
export type FrameworkCapability = (typeof FRAMEWORK_CAPABILITIES)[number];

export const TaskStateSchema = z.enum(TASK_STATES);
export const TaskReasonSchema = z.enum(TASK_REASONS);
export const TaskSourceSchema = z.enum(TASK_SOURCES);

// ---------------------------------------------------------------------------------------------
// Role names (src/common/roles.cpp, semantics.md §4.2)
//
// "*", or a '/'-separated path whose components are not empty, ".", "..", "*", do not start with
// '-', and hold no whitespace or control characters. Written without look-ahead, so the same
// pattern works in the API server (Go RE2) and in JavaScript:
//   component = [E]C* | \*C+ | \.([F]C* | \.C+)
// with C any character but '/', space and control characters, E = C minus '-', '.', '*',
// F = C minus '.'.
const C = "[^/\\x00-\\x20\\x7f]";
const E = "[^/\\x00-\\x20\\x7f.*-]";
const F = "[^/\\x00-\\x20\\x7f.]";
const COMPONENT = `(?:${E}${C}*|\\*${C}+|\\.(?:${F}${C}*|\\.${C}+))`;
export const ROLE_NAME_PATTERN = `^(?:\\*|${COMPONENT}(?:/${COMPONENT})*)$`;
export const ROLE_NAME_MAX_LENGTH = 256;
const ROLE_NAME_RE = new RegExp(ROLE_NAME_PATTERN, "u");

/** True when `name` is a valid Mesos role name (same rule as the CRD pattern). */
export const isValidRoleName = (name: string): boolean =>
  [...name].length <= ROLE_NAME_MAX_LENGTH && ROLE_NAME_RE.test(name);

export const RoleNameSchema = z
  .string()
  .max(ROLE_NAME_MAX_LENGTH)
  .regex(ROLE_NAME_RE)
  .describe(
    'A Mesos role: "*" or a "/"-separated path such as "eng/web"; components may not be empty, ".", ".." or "*", start with "-", or contain whitespace.',
  );

// ---------------------------------------------------------------------------------------------
// Resources

export const RangeSchema = cel(
  z
    .object({
      begin: z
        .number()
        .int()
        .min(0)
        .max(65535)
        .meta({ description: "First port of the range (inclusive).", mesos: "Value.Range.begin" }),
      end: z
        .number()
        .int()
        .min(0)
        .max(65535)
        .meta({ description: "Last port of the range (inclusive).", mesos: "Value.Range.end" }),
    })
    .meta({ description: "An inclusive range of ports.", mesos: "Value.Range" }),
  [
    {
      rule: "self.begin <= self.end",
      message: "a range's begin must not be greater than its end",
      check: (r) => r.begin <= r.end,
    },
  ],
);
export type Range = z.infer<typeof RangeSchema>;

export const rangesField = (description: string) => z.array(RangeSchema).max(64).describe(description);

const cpus = () =>
  z.number().min(0).max(1_000_000).meta({ description: "CPUs (cores; fractions allowed).", mesos: "cpus" });
const mem = () => z.number().min(0).max(1_000_000_000).meta({ description: "Memory in MB.", mesos: "mem" });
const disk = () => z.number().min(0).max(1_000_000_000).meta({ description: "Disk in MB.", mesos: "disk" });
const gpus = () => z.number().int().min(0).max(1024).meta({ description: "Whole GPUs.", mesos: "gpus" });

/** Scalar quantities by well-known name (quota, minimum allocatable resources). */
export const ScalarQuantitiesSchema = z
  .object({
    cpus: cpus().optional(),
    mem: mem().optional(),
    disk: disk().optional(),
    gpus: gpus().optional(),
  })
  .describe("Scalar resource quantities in Mesos units: cpus, mem (MB), disk (MB), gpus.");
export type ScalarQuantities = z.infer<typeof ScalarQuantitiesSchema>;
export const SCALAR_NAMES = ["cpus", "mem", "disk", "gpus"] as const;
export type ScalarName = (typeof SCALAR_NAMES)[number];

/**
 * A bag of resources in the compact Kubernetes-style form used by Task, Role and Framework:
 * one field per well-known Mesos resource.
 */
export const ResourcesSchema = z
  .object({
    cpus: cpus().optional(),
    mem: mem().optional(),
    disk: disk().optional(),
    gpus: gpus().optional(),
    ports: rangesField('Port ranges (the Mesos "ports" RANGES resource).')
      .optional()
      .meta({ mesos: "ports" }),
  })
  .describe("Resources in Mesos units: cpus, mem (MB), disk (MB), gpus and port ranges.");
export type Resources = z.infer<typeof ResourcesSchema>;

export const ReservationSchema = z
  .object({
    type: z.enum(["STATIC", "DYNAMIC"]).meta({
      description: "STATIC (agent flag) or DYNAMIC (RESERVE operation).",
      mesos: "ReservationInfo.type",
    }),
    role: RoleNameSchema.meta({
      description: "The role the resources are reserved for.",
      mesos: "ReservationInfo.role",
    }),
    principal: z.string().max(256).optional().meta({
      description: "Principal that made a dynamic reservation.",
      mesos: "ReservationInfo.principal",
    }),
    labels: boundedRecord(z.string().max(4096), 32)
      .optional()
      .meta({ description: "Reservation labels.", mesos: "ReservationInfo.labels" }),
  })
  .meta({
    description: "One reservation of a resource (refinement format).",
    mesos: "Resource.ReservationInfo",
  });

const RESOURCE_NAME_RE = /^[A-Za-z0-9_.\-/]+$/;

/** One Mesos Resource, as carried by offers (with reservation and allocation information). */
export const ResourceSchema = cel(
  z
    .object({
      name: z.string().min(1).max(128).regex(RESOURCE_NAME_RE).meta({
        description: "Resource name: cpus, mem (MB), disk (MB), gpus, ports, or a custom name.",
        mesos: "Resource.name",
      }),
      type: z.enum(["SCALAR", "RANGES", "SET"]).meta({ description: "Value type.", mesos: "Resource.type" }),
      scalar: z
        .number()
        .min(0)
        .optional()
        .meta({ description: "Value of a SCALAR resource.", mesos: "Resource.scalar.value" }),
      ranges: rangesField("Value of a RANGES resource.").optional().meta({ mesos: "Resource.ranges.range" }),
      set: setList(z.string().max(256), 128)
        .optional()
        .meta({ description: "Value of a SET resource.", mesos: "Resource.set.item" }),
      allocationInfo: z
        .object({
          role: RoleNameSchema.meta({
            description: "The role the resource is allocated to.",
            mesos: "AllocationInfo.role",
          }),
        })
        .optional()
        .meta({
          description: "Which of the framework's roles the resource is allocated to.",
          mesos: "Resource.allocation_info",
        }),
      reservations: z
        .array(ReservationSchema)
        .max(8)
        .optional()
        .meta({ description: "Reservation stack; empty means unreserved.", mesos: "Resource.reservations" }),
      revocable: z
        .boolean()
        .optional()
        .meta({ description: "True for revocable (oversubscribed) resources.", mesos: "Resource.revocable" }),
      shared: z
        .boolean()
        .optional()
        .meta({ description: "True for shared persistent volumes.", mesos: "Resource.shared" }),
    })
    .meta({ description: "A Mesos Resource.", mesos: "Resource" }),
  [
    {
      rule: "self.type == 'SCALAR' ? (has(self.scalar) && !has(self.ranges) && !has(self.set)) : self.type == 'RANGES' ? (has(self.ranges) && !has(self.scalar) && !has(self.set)) : (has(self.set) && !has(self.scalar) && !has(self.ranges))",
      message:
        "a resource must carry exactly the value of its type: scalar for SCALAR, ranges for RANGES, set for SET",
      check: (r) =>
        r.type === "SCALAR"
          ? r.scalar !== undefined && r.ranges === undefined && r.set === undefined
          : r.type === "RANGES"
            ? r.ranges !== undefined && r.scalar === undefined && r.set === undefined
            : r.set !== undefined && r.scalar === undefined && r.ranges === undefined,
    },
    {
      rule: "self.name in ['cpus', 'mem', 'disk', 'gpus'] ? self.type == 'SCALAR' : (self.name == 'ports' ? self.type == 'RANGES' : true)",
      message: "cpus, mem, disk and gpus are SCALAR resources and ports is a RANGES resource",
      check: (r) =>
        ["cpus", "mem", "disk", "gpus"].includes(r.name)
          ? r.type === "SCALAR"
          : r.name === "ports"
            ? r.type === "RANGES"
            : true,
    },
  ],
);
export type Resource = z.infer<typeof ResourceSchema>;

/** An agent attribute (node label), copied into every offer from that agent. */
export const AttributeSchema = cel(
  z
    .object({
      name: z
        .string()
        .min(1)
        .max(317)
        .meta({ description: "Attribute name (node label key).", mesos: "Attribute.name" }),
      type: z
        .enum(["TEXT", "SCALAR", "RANGES", "SET"])
        .meta({ description: "Value type.", mesos: "Attribute.type" }),
      text: z
        .string()
        .max(1024)
        .optional()
        .meta({ description: "Value of a TEXT attribute.", mesos: "Attribute.text.value" }),
      scalar: z
        .number()
        .optional()
        .meta({ description: "Value of a SCALAR attribute.", mesos: "Attribute.scalar.value" }),
      ranges: rangesField("Value of a RANGES attribute.")
        .optional()
        .meta({ mesos: "Attribute.ranges.range" }),
      set: setList(z.string().max(256), 64)
        .optional()
        .meta({ description: "Value of a SET attribute.", mesos: "Attribute.set.item" }),
    })
    .meta({ description: "An agent attribute.", mesos: "Attribute" }),
  [
    {
      rule: "(self.type == 'TEXT') == has(self.text) && (self.type == 'SCALAR') == has(self.scalar) && (self.type == 'RANGES') == has(self.ranges) && (self.type == 'SET') == has(self.set)",
      message: "an attribute must carry exactly the value of its type (text, scalar, ranges or set)",
      check: (a) =>
        (a.type === "TEXT") === (a.text !== undefined) &&
        (a.type === "SCALAR") === (a.scalar !== undefined) &&
        (a.type === "RANGES") === (a.ranges !== undefined) &&
        (a.type === "SET") === (a.set !== undefined),
    },
  ],
);
export type Attribute = z.infer<typeof AttributeSchema>;

/** Mesos Labels as a map (Mesos allows repeated keys; the last one wins here). */
export const labelsField = (mesos: string) =>
  boundedRecord(z.string().max(4096), 64)
    .optional()
    .meta({ description: "Free-form Mesos labels (key → value), visible to frameworks and tools.", mesos });

/** Reference to the Framework (same namespace) that owns an Offer or a Task. */
export const frameworkNameField = () =>
  z
    .string()
    .min(1)
    .max(253)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/)
    .meta({
      description: "Name of the Framework in this namespace that this object belongs to.",
      mesos: "framework_id (by reference)",
    });

/** Mesos IDs (FrameworkID, OfferID, AgentID, TaskID): opaque, non-empty, printable. */
export const mesosId = () =>
  z
    .string()
    .min(1)
    .max(255)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: IDs must not contain control characters
    .regex(/^[^\x00-\x20\x7f/]+$/);

// ---------------------------------------------------------------------------------------------
// Conversions between the two resource shapes

/** Sum a list of Mesos resources into the compact form (reservations and custom names are dropped). */
export function toResources(list: readonly Resource[]): Resources {
  const out: Resources = {};
  for (const r of list) {
    if (
      r.type === "SCALAR" &&
      r.scalar !== undefined &&
      (SCALAR_NAMES as readonly string[]).includes(r.name)
    ) {
      const name = r.name as ScalarName;
      out[name] = roundMesos((out[name] ?? 0) + r.scalar);
    } else if (r.name === "ports" && r.type === "RANGES" && r.ranges) {
      out.ports = [...(out.ports ?? []), ...r.ranges];
    }
  }
  return out;
}

/** Expand the compact form into unreserved Mesos resources (optionally allocated to `role`). */
export function toResourceList(res: Resources, role?: string): Resource[] {
  const allocationInfo = role === undefined ? {} : { allocationInfo: { role } };
  const list: Resource[] = [];
  for (const name of SCALAR_NAMES) {
    const v = res[name];
    if (v !== undefined && v > 0) list.push({ name, type: "SCALAR", scalar: v, ...allocationInfo });
  }
  if (res.ports && res.ports.length > 0)
    list.push({ name: "ports", type: "RANGES", ranges: res.ports, ...allocationInfo });
  return list;
}

/** Mesos keeps scalars with 3 decimal digits (fixed point); round the same way. */
export const roundMesos = (v: number): number => Math.round(v * 1000) / 1000;
