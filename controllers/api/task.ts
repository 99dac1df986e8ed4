// Task: a Mesos task (TaskInfo) and its status. Created with kubectl (placed by the operator, or on
// the offers it names) or by ACCEPT/LAUNCH on the Mesos scheduler API. Each Task owns one pod; the
// Tasks of a task group (LAUNCH_GROUP) share one pod, one container each.
import { z } from "zod";
import { defineKind } from "./crd.ts";
import {
  cel,
  conditionsField,
  dateTime,
  intOrString,
  mapList,
  observedGenerationField,
  setList,
  unchangedCel,
  unchangedFieldsCel,
} from "./k8s.ts";
import {
  frameworkNameField,
  labelsField,
  mesosId,
  ResourcesSchema,
  RoleNameSchema,
  TaskReasonSchema,
  TaskSourceSchema,
  TaskStateSchema,
} from "./mesos.ts";

// ---------------------------------------------------------------------------------------------
// CommandInfo

export const EnvVarSchema = cel(
  z
    .object({
      name: z
        .string()
        .min(1)
        .max(256)
        .meta({ description: "Variable name.", mesos: "Environment.Variable.name" }),
      value: z
        .string()
        .max(32768)
        .optional()
        .meta({ description: "Literal value.", mesos: "Environment.Variable.value" }),
      secret: z
        .object({
          name: z.string().min(1).max(253).describe("Name of a Secret in the task's namespace."),
          key: z.string().min(1).max(253).describe("Key within the Secret."),
        })
        .optional()
        .meta({
          description: "Take the value from a Kubernetes Secret.",
          mesos: "Environment.Variable.secret (type SECRET)",
        }),
    })
    .meta({ description: "An environment variable.", mesos: "Environment.Variable" }),
  [
    {
      rule: "!(has(self.value) && has(self.secret))",
      message: "an environment variable takes either value or secret, not both",
      check: (v) => !(v.value !== undefined && v.secret !== undefined),
    },
  ],
);

export const UriSchema = z
  .object({
    value: z
      .string()
      .min(1)
      .max(4096)
      .meta({ description: "URI to fetch into the sandbox.", mesos: "CommandInfo.URI.value" }),
    executable: z
      .boolean()
      .optional()
      .meta({ description: "Make the fetched file executable.", mesos: "CommandInfo.URI.executable" }),
    extract: z
      .boolean()
      .default(true)
      .meta({ description: "Extract archives (default true).", mesos: "CommandInfo.URI.extract" }),
    cache: z
      .boolean()
      .optional()
      .meta({ description: "Allow a cached copy.", mesos: "CommandInfo.URI.cache" }),
    outputFile: z
      .string()
      .max(1024)
      .optional()
      .meta({ description: "File name to save the download as.", mesos: "CommandInfo.URI.output_file" }),
  })
  .meta({
    description: "A file to fetch into the task's sandbox before it starts.",
    mesos: "CommandInfo.URI",
  });

export const CommandSchema = cel(
  z
    .object({
      shell: z.boolean().default(true).meta({
        description:
          "Run value with /bin/sh -c (default). When false, value is the executable and arguments its argv.",
        mesos: "CommandInfo.shell",
      }),
      value: z.string().max(32768).optional().meta({
        description:
          "The shell command (shell: true) or the executable (shell: false; absent runs the image's entrypoint).",
        mesos: "CommandInfo.value",
      }),
      arguments: z.array(z.string().max(4096)).max(256).optional().meta({
        description: "Arguments (argv) when shell is false; ignored otherwise.",
        mesos: "CommandInfo.arguments",
      }),
      environment: mapList(EnvVarSchema, "name", 256).optional().meta({
        description: "Environment variables, keyed by name.",
        mesos: "CommandInfo.environment.variables",
      }),
      uris: z.array(UriSchema).max(64).optional().meta({
        description: "Files fetched into the sandbox before the command runs.",
        mesos: "CommandInfo.uris",
      }),
      user: z.string().max(256).optional().meta({
        description: "Unix user to run as; defaults to the framework's user.",
        mesos: "CommandInfo.user",
      }),
    })
    .meta({
      description:
        "What the task runs (Mesos CommandInfo). With shell true (default) value is run by /bin/sh -c; with shell false, value is the executable and arguments its argv (leave value empty to use the container image's entrypoint).",
      mesos: "TaskInfo.command",
    }),
  [
    {
      rule: "(has(self.shell) && !self.shell) || has(self.value)",
      message: "command.value is required when command.shell is true (it is the shell command to run)",
      check: (c) => c.shell === false || c.value !== undefined,
    },
  ],
);
export type Command = z.infer<typeof CommandSchema>;

// ---------------------------------------------------------------------------------------------
// ContainerInfo

export const ContainerPortSchema = z
  .object({
    containerPort: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .meta({ description: "Port inside the container.", mesos: "PortMapping.container_port" }),
    hostPort: z.number().int().min(1).max(65535).optional().meta({
      description: "Port on the node; must lie in the task's resources.ports.",
      mesos: "PortMapping.host_port",
    }),
    protocol: z
      .enum(["TCP", "UDP", "SCTP"])
      .default("TCP")
      .meta({ description: "Protocol (default TCP).", mesos: "PortMapping.protocol" }),
    name: z
      .string()
      .max(15)
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
      .optional()
      .describe("Port name (IANA service name), usable by health checks."),
  })
  .meta({
    description: "A container port, optionally mapped to a host port.",
    mesos: "DockerInfo.PortMapping",
  });

export const VolumeSchema = z
  .object({
    containerPath: z
      .string()
      .min(1)
      .max(4096)
      .regex(/^\//)
      .meta({ description: "Absolute mount path in the container.", mesos: "Volume.container_path" }),
    hostPath: z.string().max(4096).regex(/^\//).optional().meta({
      description:
        "Absolute path on the node (hostPath volume); absent gives an empty sandbox volume (emptyDir).",
      mesos: "Volume.host_path",
    }),
    mode: z
      .enum(["RW", "RO"])
      .default("RW")
      .meta({ description: "RW (default) or RO.", mesos: "Volume.mode" }),
  })
  .meta({ description: "A volume mounted into the container.", mesos: "Volume" });

export const ContainerSchema = cel(
  z
    .object({
      type: z.enum(["MESOS", "DOCKER"]).default("MESOS").meta({
        description: "Containerizer: MESOS (default) or DOCKER; both run as a pod container.",
        mesos: "ContainerInfo.type",
      }),
      image: z.string().max(1024).optional().meta({
        description: "Container image, e.g. busybox:1.36.",
        mesos: "ContainerInfo.mesos.image.docker.name / docker.image",
      }),
      forcePullImage: z.boolean().optional().meta({
        description: "Always pull the image (imagePullPolicy Always).",
        mesos: "DockerInfo.force_pull_image / Image.cached=false",
      }),
      network: z.enum(["HOST", "BRIDGE", "NONE", "USER"]).optional().meta({
        description: "HOST runs the pod with hostNetwork; the others use the pod network.",
        mesos: "DockerInfo.network",
      }),
      hostname: z
        .string()
        .max(63)
        .optional()
        .meta({ description: "Hostname inside the container.", mesos: "ContainerInfo.hostname" }),
      ports: z.array(ContainerPortSchema).max(64).optional().meta({
        description: "Container ports and their host port mappings.",
        mesos: "DockerInfo.port_mappings",
      }),
      volumes: z
        .array(VolumeSchema)
        .max(32)
        .optional()
        .meta({ description: "Volumes mounted into the container.", mesos: "ContainerInfo.volumes" }),
    })
    .meta({
      description: "The container the task runs in (Mesos ContainerInfo, as far as it maps to a pod).",
      mesos: "TaskInfo.container",
    }),
  [
    {
      rule: "self.type != 'DOCKER' || has(self.image)",
      message: "a DOCKER container needs an image",
      check: (c) => c.type !== "DOCKER" || c.image !== undefined,
    },
  ],
);
export type Container = z.infer<typeof ContainerSchema>;

// ---------------------------------------------------------------------------------------------
// HealthCheck, KillPolicy, constraints, task groups

export const HealthCheckSchema = cel(
  z
    .object({
      type: z
        .enum(["COMMAND", "HTTP", "TCP"])
        .meta({ description: "Kind of check.", mesos: "HealthCheck.type" }),
      command: z
        .object({
          shell: z.boolean().default(true).describe("Run value with /bin/sh -c (default)."),
          value: z.string().min(1).max(32768).describe("Command; exit code 0 means healthy."),
          arguments: z
            .array(z.string().max(4096))
            .max(256)
            .optional()
            .describe("Arguments when shell is false."),
        })
        .optional()
        .meta({ description: "Command check (type COMMAND).", mesos: "HealthCheck.command" }),
      http: z
        .object({
          port: intOrString().meta({
            description: "Port number or container port name.",
            mesos: "HealthCheck.http.port",
          }),
          path: z
            .string()
            .max(2048)
            .optional()
            .meta({ description: "Request path (default /).", mesos: "HealthCheck.http.path" }),
          scheme: z
            .enum(["HTTP", "HTTPS"])
            .optional()
            .meta({ description: "HTTP (default) or HTTPS.", mesos: "HealthCheck.http.scheme" }),
        })
        .optional()
        .meta({
          description: "HTTP check (type HTTP): a 2xx or 3xx answer is healthy.",
          mesos: "HealthCheck.http",
        }),
      tcp: z
        .object({
          port: intOrString().meta({
            description: "Port number or container port name.",
            mesos: "HealthCheck.tcp.port",
          }),
        })
        .optional()
        .meta({
          description: "TCP check (type TCP): an accepted connection is healthy.",
          mesos: "HealthCheck.tcp",
        }),
      delaySeconds: z
        .number()
        .min(0)
        .max(86400)
        .default(15)
        .meta({ description: "Delay before the first check.", mesos: "HealthCheck.delay_seconds" }),
      intervalSeconds: z
        .number()
        .min(0)
        .max(86400)
        .default(10)
        .meta({ description: "Time between checks.", mesos: "HealthCheck.interval_seconds" }),
      timeoutSeconds: z
        .number()
        .min(0)
        .max(86400)
        .default(20)
        .meta({ description: "Time a check may take.", mesos: "HealthCheck.timeout_seconds" }),
      consecutiveFailures: z.number().int().min(0).max(1000).default(3).meta({
        description: "Failures in a row before the task is killed.",
        mesos: "HealthCheck.consecutive_failures",
      }),
      gracePeriodSeconds: z.number().min(0).max(86400).default(10).meta({
        description: "Failures during this time after start do not count.",
        mesos: "HealthCheck.grace_period_seconds",
      }),
    })
    .meta({
      description: "Health check; transitions are reported as TASK_RUNNING updates with healthy set.",
      mesos: "TaskInfo.health_check",
    }),
  [
    {
      rule: "self.type == 'COMMAND' ? has(self.command) : (self.type == 'HTTP' ? has(self.http) : has(self.tcp))",
      message:
        "a health check needs the section matching its type: command for COMMAND, http for HTTP, tcp for TCP",
      check: (h) =>
        h.type === "COMMAND"
          ? h.command !== undefined
          : h.type === "HTTP"
            ? h.http !== undefined
            : h.tcp !== undefined,
    },
  ],
);

export const KillPolicySchema = z
  .object({
    gracePeriodSeconds: z
      .number()
      .min(0)
      .max(86400)
      .meta({ description: "Seconds between SIGTERM and SIGKILL.", mesos: "KillPolicy.grace_period" }),
  })
  .meta({ description: "How the task is killed.", mesos: "TaskInfo.kill_policy" });

export const CONSTRAINT_OPERATORS = ["UNIQUE", "CLUSTER", "GROUP_BY", "LIKE", "UNLIKE", "MAX_PER"] as const;
export type ConstraintOperator = (typeof CONSTRAINT_OPERATORS)[number];

export const ConstraintSchema = cel(
  z
    .object({
      field: z
        .string()
        .min(1)
        .max(317)
        .describe('"hostname" or the name of an agent attribute (a node label key).'),
      operator: z
        .enum(CONSTRAINT_OPERATORS)
        .describe(
          "UNIQUE: at most one peer per field value; CLUSTER: only where field equals value; GROUP_BY: spread evenly over value (optional) groups; LIKE / UNLIKE: field matches / does not match the regex value; MAX_PER: at most value peers per field value.",
        ),
      value: z
        .string()
        .min(1)
        .max(256)
        .optional()
        .describe("Operand: a value, a regex (RE2) or a count, per operator."),
    })
    .describe(
      "A Marathon-style placement constraint. Peers are this framework's non-terminal Tasks with the same spec.name.",
    ),
  [
    {
      rule: "self.operator in ['CLUSTER', 'LIKE', 'UNLIKE', 'MAX_PER'] ? has(self.value) : true",
      message: "CLUSTER, LIKE, UNLIKE and MAX_PER constraints need a value",
      check: (c) => !["CLUSTER", "LIKE", "UNLIKE", "MAX_PER"].includes(c.operator) || c.value !== undefined,
    },
    {
      rule: "self.operator == 'UNIQUE' ? !has(self.value) : true",
      message: "a UNIQUE constraint takes no value",
      check: (c) => c.operator !== "UNIQUE" || c.value === undefined,
    },
    {
      rule: "(self.operator in ['MAX_PER', 'GROUP_BY'] && has(self.value)) ? self.value.matches('^[1-9][0-9]{0,5}$') : true",
      message: "the value of a MAX_PER or GROUP_BY constraint must be a positive whole number",
      check: (c) =>
        !(["MAX_PER", "GROUP_BY"].includes(c.operator) && c.value !== undefined) ||
        /^[1-9][0-9]{0,5}$/.test(c.value ?? ""),
    },
  ],
);
export type Constraint = z.infer<typeof ConstraintSchema>;

export const TaskGroupSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(63)
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
      .meta({
        description: "Group name; the group's pod is named after it.",
        mesos: "ExecutorInfo.executor_id",
      }),
    size: z.number().int().min(1).max(32).meta({
      description: "Number of Tasks in the group; the pod is launched once all of them exist.",
      mesos: "TaskGroupInfo.tasks (count)",
    }),
    executorResources: ResourcesSchema.optional().meta({
      description:
        "Resources of the group's executor, on top of its tasks': held by the allocator while the group's pod runs (until every task of the group is terminal). The same in every member of the group.",
      mesos: "LaunchGroup.executor.resources",
    }),
  })
  .meta({
    description:
      "Membership of a task group (LAUNCH_GROUP): Tasks with the same group name share one pod, one container each, and are launched together.",
    mesos: "Offer.Operation.LaunchGroup",
  });

export const KillRequestSchema = z
  .object({
    gracePeriodSeconds: z.number().min(0).max(86400).optional().meta({
      description: "Overrides killPolicy.gracePeriodSeconds for this kill.",
      mesos: "Call.Kill.kill_policy",
    }),
  })
  .meta({
    description:
      'Set to kill the task (e.g. `kubectl patch mtask NAME --type merge -p \'{"spec":{"kill":{}}}\'`). The Task stays, with its final status. Cannot be withdrawn.',
    mesos: "KILL call",
  });

// ---------------------------------------------------------------------------------------------
// Task

/** Spec fields that cannot change after creation (besides resources and offerIds, which have their own messages). */
const IMMUTABLE_TASK_FIELDS = unchangedFieldsCel(
  ["frameworkName"],
  [
    "taskId",
    "name",
    "agentId",
    "role",
    "command",
    "container",
    "healthCheck",
    "killPolicy",
    "labels",
    "taskGroup",
    "constraints",
    "maxCompletionTimeSeconds",
  ],
);

export const TaskSpecSchema = cel(
  z
    .object({
      frameworkName: frameworkNameField(),
      taskId: mesosId()
        .optional()
        .meta({ description: "The Mesos TaskID; defaults to metadata.name.", mesos: "TaskInfo.task_id" }),
      name: z.string().min(1).max(256).optional().meta({
        description:
          "Task name, shown in UIs and used to find peers for constraints; defaults to metadata.name.",
        mesos: "TaskInfo.name",
      }),
      offerIds: setList(mesosId(), 16).min(1).optional().meta({
        description:
          "The offers (same agent, same role) the task consumes. Absent: the operator places the task itself. Immutable.",
        mesos: "Call.Accept.offer_ids",
      }),
      agentId: mesosId().optional().meta({
        description: "Agent to run on; must be the offers' agent when offerIds is set.",
        mesos: "TaskInfo.agent_id",
      }),
      role: RoleNameSchema.optional().meta({
        description:
          "Role to allocate from when the operator places the task; defaults to the framework's first role.",
        mesos: "Offer.allocation_info.role",
      }),
      resources: cel(ResourcesSchema, [
        {
          rule: "has(self.cpus) || has(self.mem) || has(self.disk) || has(self.gpus) || has(self.ports)",
          message: "a task must use some resources (cpus, mem, disk, gpus or ports)",
          check: (r) => [r.cpus, r.mem, r.disk, r.gpus, r.ports].some((v) => v !== undefined),
        },
      ]).meta({
        description: "Resources the task uses, in Mesos units. Immutable.",
        mesos: "TaskInfo.resources",
      }),
      command: CommandSchema.optional(),
      container: ContainerSchema.optional(),
      healthCheck: HealthCheckSchema.optional(),
      killPolicy: KillPolicySchema.optional(),
      labels: labelsField("TaskInfo.labels"),
      taskGroup: TaskGroupSchema.optional(),
      constraints: z.array(ConstraintSchema).max(16).optional().meta({
        description: "Placement constraints (Marathon style), used when the operator places the task.",
        mesos: "Marathon app constraints (no Mesos field)",
      }),
      maxCompletionTimeSeconds: z.number().min(0).max(31_536_000).optional().meta({
        description: "Fail the task (REASON_MAX_COMPLETION_TIME_REACHED) if it runs longer.",
        mesos: "TaskInfo.max_completion_time",
      }),
      kill: KillRequestSchema.optional(),
    })
    .describe("Desired state of the Task: its Mesos TaskInfo. Immutable except for spec.kill."),
  [
    {
      rule: "has(self.command) || (has(self.container) && has(self.container.image))",
      message: "a task needs something to run: spec.command or spec.container.image",
      check: (s) => s.command !== undefined || s.container?.image !== undefined,
    },
    {
      rule: "!has(self.taskGroup) || !has(self.container) || self.container.type != 'DOCKER'",
      message:
        "tasks in a task group cannot use a DOCKER container (Mesos LAUNCH_GROUP refuses it); use type MESOS",
      check: (s) => s.taskGroup === undefined || s.container?.type !== "DOCKER",
    },
    {
      rule: "!has(self.container) || !has(self.container.ports) || self.container.ports.all(p, !has(p.hostPort) || (has(self.resources.ports) && self.resources.ports.exists(r, r.begin <= p.hostPort && p.hostPort <= r.end)))",
      message: "every container hostPort must lie within the task's resources.ports",
      check: (s) =>
        (s.container?.ports ?? []).every(
          (p) =>
            p.hostPort === undefined ||
            (s.resources.ports ?? []).some((r) => r.begin <= (p.hostPort ?? 0) && (p.hostPort ?? 0) <= r.end),
        ),
    },
    { rule: "self.resources == oldSelf.resources", message: "spec.resources is immutable" },
    { rule: unchangedCel("offerIds"), message: "spec.offerIds is immutable" },
    {
      rule: IMMUTABLE_TASK_FIELDS,
      message:
        "a task's spec cannot change after creation, except to set spec.kill (delete and recreate it instead)",
    },
    {
      rule: "!has(oldSelf.kill) || (has(self.kill) && self.kill == oldSelf.kill)",
      message: "spec.kill cannot be changed or removed once set",
    },
  ],
);
export type TaskSpec = z.infer<typeof TaskSpecSchema>;

// ---------------------------------------------------------------------------------------------
// TaskStatus

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const TaskStatusUpdateSchema = cel(
  z
    .object({
      state: TaskStateSchema.meta({ description: "Task state.", mesos: "TaskStatus.state" }),
      reason: TaskReasonSchema.optional().meta({
        description: "Why (a Mesos TaskStatus.Reason name).",
        mesos: "TaskStatus.reason",
      }),
      source: TaskSourceSchema.optional().meta({
        description: "Who generated the update.",
        mesos: "TaskStatus.source",
      }),
      message: z
        .string()
        .max(4096)
        .optional()
        .meta({ description: "Human-readable details.", mesos: "TaskStatus.message" }),
      healthy: z
        .boolean()
        .optional()
        .meta({ description: "Health-check result, if any.", mesos: "TaskStatus.healthy" }),
      timestamp: dateTime().meta({
        description: "When the update was generated.",
        mesos: "TaskStatus.timestamp",
      }),
      unreachableTime: dateTime().optional().meta({
        description: "On updates caused by a partition: when the agent became unreachable.",
        mesos: "TaskStatus.unreachable_time",
      }),
      uuid: z.string().max(36).regex(UUID_RE).optional().meta({
        description:
          "Present on reliable updates, which the framework must acknowledge (lowercase UUID text).",
        mesos: "TaskStatus.uuid (bytes, base64 on the wire)",
      }),
      acknowledged: z
        .boolean()
        .default(false)
        .meta({ description: "Whether the framework acknowledged this update.", mesos: "ACKNOWLEDGE call" }),
    })
    .meta({ description: "One status update, as sent to the framework.", mesos: "TaskStatus" }),
  [
    {
      rule: "!self.acknowledged || has(self.uuid)",
      message: "only updates with a uuid can be acknowledged",
      check: (u) => !u.acknowledged || u.uuid !== undefined,
    },
  ],
);
export type TaskStatusUpdate = z.infer<typeof TaskStatusUpdateSchema>;

/** The operator keeps at most this many status updates per Task (oldest acknowledged ones go first). */
export const MAX_TASK_STATUS_UPDATES = 32;

export const TaskStatusSchema = z
  .object({
    state: TaskStateSchema.optional().meta({
      description: "Latest Mesos task state.",
      mesos: "Task.state / TaskStatus.state",
    }),
    reason: TaskReasonSchema.optional().meta({
      description: "Reason of the latest update.",
      mesos: "TaskStatus.reason",
    }),
    source: TaskSourceSchema.optional().meta({
      description: "Source of the latest update.",
      mesos: "TaskStatus.source",
    }),
    message: z
      .string()
      .max(4096)
      .optional()
      .meta({ description: "Message of the latest update.", mesos: "TaskStatus.message" }),
    healthy: z
      .boolean()
      .optional()
      .meta({ description: "Latest health-check result.", mesos: "TaskStatus.healthy" }),
    agentId: mesosId()
      .optional()
      .meta({ description: "Agent the task runs on.", mesos: "TaskStatus.agent_id" }),
    nodeName: z.string().max(253).optional().describe("Node the task's pod is bound to."),
    podName: z.string().max(253).optional().describe("Name of the pod that runs the task."),
    offerIds: z.array(mesosId()).max(16).optional().meta({
      description: "Offers the task consumed (the operator's choice when spec.offerIds is absent).",
      mesos: "Call.Accept.offer_ids",
    }),
    role: RoleNameSchema.optional().meta({
      description: "Role the task's resources are allocated to.",
      mesos: "Resource.allocation_info.role",
    }),
    stagingTime: dateTime().optional().meta({
      description: "When the task was accepted (TASK_STAGING).",
      mesos: "TaskStatus.timestamp (TASK_STAGING)",
    }),
    startTime: dateTime().optional().meta({
      description: "When the task first reached TASK_RUNNING.",
      mesos: "TaskStatus.timestamp (TASK_RUNNING)",
    }),
    completionTime: dateTime().optional().meta({
      description: "When the task reached a terminal state.",
      mesos: "TaskStatus.timestamp (terminal)",
    }),
    unreachableTime: dateTime()
      .optional()
      .meta({ description: "When its agent became unreachable.", mesos: "TaskStatus.unreachable_time" }),
    updates: z
      .array(TaskStatusUpdateSchema)
      .max(MAX_TASK_STATUS_UPDATES)
      .optional()
      .meta({
        description: `Status updates in order, newest last (at most ${MAX_TASK_STATUS_UPDATES}).`,
        mesos: "Task.statuses",
      }),
    observedGeneration: observedGenerationField(),
    conditions: conditionsField(),
  })
  .describe("Observed state of the Task.");
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

export const TaskKind = defineKind({
  kind: "Task",
  plural: "tasks",
  singular: "task",
  shortNames: ["mtask"],
  scope: "Namespaced",
  description:
    "A Mesos task (TaskInfo) and its status. It runs as a pod bound to the chosen node; Tasks of one task group share a pod. Kill it with spec.kill.",
  spec: TaskSpecSchema,
  status: TaskStatusSchema,
  printerColumns: [
    { name: "State", type: "string", jsonPath: ".status.state", description: "Mesos task state." },
    { name: "Node", type: "string", jsonPath: ".status.nodeName", description: "Node the task runs on." },
    { name: "CPUs", type: "number", jsonPath: ".spec.resources.cpus", description: "CPUs." },
    { name: "Mem", type: "number", jsonPath: ".spec.resources.mem", description: "Memory in MB." },
    {
      name: "Reason",
      type: "string",
      jsonPath: ".status.reason",
      description: "Reason of the latest update.",
    },
    {
      name: "Age",
      type: "date",
      jsonPath: ".metadata.creationTimestamp",
      description: "Time since creation.",
    },
    {
      name: "Framework",
      type: "string",
      jsonPath: ".spec.frameworkName",
      description: "Owning framework.",
      priority: 1,
    },
    {
      name: "Healthy",
      type: "boolean",
      jsonPath: ".status.healthy",
      description: "Health-check result.",
      priority: 1,
    },
  ],
  selectableFields: [".spec.frameworkName", ".spec.taskId", ".status.state", ".status.nodeName"],
});
export const TaskSchema = TaskKind.schema;
export type Task = z.infer<typeof TaskSchema>;
