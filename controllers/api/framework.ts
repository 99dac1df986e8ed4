// Framework: a Mesos framework (FrameworkInfo) registered with the operator, through kubectl or
// through the Mesos scheduler API (SUBSCRIBE). Namespaced: its Offers, Tasks and pods live beside it.
import { z } from "zod";
import { defineKind } from "./crd.ts";
import {
  cel,
  conditionsField,
  dateTime,
  immutable,
  mapList,
  observedGenerationField,
  setList,
  unchangedCel,
} from "./k8s.ts";
import {
  FRAMEWORK_CAPABILITIES,
  labelsField,
  mesosId,
  ResourcesSchema,
  RoleNameSchema,
  ScalarQuantitiesSchema,
} from "./mesos.ts";

export const FRAMEWORK_PHASES = ["Registered", "Active", "Disconnected", "Completed"] as const;
export type FrameworkPhase = (typeof FRAMEWORK_PHASES)[number];

/**
 * Label on Framework objects made by a scheduler's SUBSCRIBE over the Mesos API. Such a framework
 * has a scheduler that answers its offers itself; a kubectl Framework has none.
 */
export const SCHEDULER_API_LABEL = "mesos.operator.dev/scheduler-api";

/**
 * Annotation with the FrameworkID a SUBSCRIBE chose before the object existed (the master answers
 * SUBSCRIBED at once, as Mesos does, and writes the object after); status.frameworkId copies it.
 */
export const FRAMEWORK_ID_ANNOTATION = "mesos.operator.dev/framework-id";

/** Longest failover timeout Mesos accepts (it must fit a Duration in nanoseconds, int64). */
export const MAX_FAILOVER_TIMEOUT_SECONDS = 9_000_000_000;

export const OfferFilterSchema = z
  .object({
    role: RoleNameSchema.describe("The role (one of spec.roles) these filters apply to."),
    minAllocatableResources: z.array(ScalarQuantitiesSchema).max(16).optional().meta({
      description:
        "Offer only when the offer holds at least one of these quantity sets (each an AND of minimums). Empty means anything allocatable.",
      mesos: "OfferFilters.min_allocatable_resources.quantities",
    }),
  })
  .meta({ description: "Per-role offer filters.", mesos: "FrameworkInfo.offer_filters[role]" });

export const FrameworkSpecSchema = cel(
  z
    .object({
      name: z.string().max(256).optional().meta({
        description: "Framework name shown in UIs; defaults to metadata.name.",
        mesos: "FrameworkInfo.name",
      }),
      user: z
        .string()
        .min(1)
        .max(256)
        .apply((s) => cel(s, [immutable("spec.user")]))
        .meta({
          description:
            "Unix user that the framework's tasks run as. Immutable (UPDATE_FRAMEWORK refuses changes).",
          mesos: "FrameworkInfo.user",
        }),
      roles: setList(RoleNameSchema, 64).min(1).default(["*"]).meta({
        description: 'Roles the framework subscribes to (MULTI_ROLE); default ["*"].',
        mesos: "FrameworkInfo.roles",
      }),
      failoverTimeout: z.number().min(0).max(MAX_FAILOVER_TIMEOUT_SECONDS).default(0).meta({
        description:
          "Seconds the operator waits for a disconnected framework to re-subscribe before tearing it down and killing its tasks.",
        mesos: "FrameworkInfo.failover_timeout",
      }),
      checkpoint: z
        .boolean()
        .default(false)
        .apply((s) => cel(s, [immutable("spec.checkpoint")]))
        .meta({
          description: "Whether the framework's tasks survive agent restarts. Immutable.",
          mesos: "FrameworkInfo.checkpoint",
        }),
      capabilities: setList(z.enum(FRAMEWORK_CAPABILITIES), FRAMEWORK_CAPABILITIES.length)
        .optional()
        .meta({
          description: `Mesos framework capabilities: ${FRAMEWORK_CAPABILITIES.join(", ")}.`,
          mesos: "FrameworkInfo.capabilities[].type",
        }),
      principal: z.string().min(1).max(256).optional().meta({
        description: "Principal for authentication, authorization and reservations. Immutable.",
        mesos: "FrameworkInfo.principal",
      }),
      hostname: z
        .string()
        .max(253)
        .optional()
        .meta({ description: "Host the scheduler runs on (display only).", mesos: "FrameworkInfo.hostname" }),
      webuiUrl: z.string().max(2048).optional().meta({
        description: "URL of the framework's web UI (display only).",
        mesos: "FrameworkInfo.webui_url",
      }),
      labels: labelsField("FrameworkInfo.labels"),
      offerFilters: mapList(OfferFilterSchema, "role", 64).optional().meta({
        description: "Per-role offer filters, keyed by role.",
        mesos: "FrameworkInfo.offer_filters",
      }),
      suppressedRoles: setList(RoleNameSchema, 64).optional().meta({
        description: "Roles for which the framework wants no offers (SUPPRESS); each must be one of roles.",
        mesos: "SUBSCRIBE/UPDATE_FRAMEWORK suppressed_roles",
      }),
    })
    .describe("Desired state of the Framework: its Mesos FrameworkInfo."),
  [
    {
      rule: "!has(self.suppressedRoles) || self.suppressedRoles.all(r, r in self.roles)",
      message: "every role in suppressedRoles must also be listed in roles",
      check: (s) => (s.suppressedRoles ?? []).every((r) => s.roles.includes(r)),
    },
    {
      rule: "!has(self.offerFilters) || self.offerFilters.all(f, f.role in self.roles)",
      message: "offerFilters may only name roles listed in roles",
      check: (s) => (s.offerFilters ?? []).every((f) => s.roles.includes(f.role)),
    },
    {
      rule: unchangedCel("principal"),
      message: "spec.principal is immutable (Mesos refuses to change a framework's principal)",
    },
  ],
);
export type FrameworkSpec = z.infer<typeof FrameworkSpecSchema>;

export const RoleResourcesSchema = z
  .object({
    role: RoleNameSchema.describe("The role."),
    allocated: ResourcesSchema.optional().describe("Resources used by the framework's tasks in this role."),
    offered: ResourcesSchema.optional().describe(
      "Resources in the framework's outstanding offers for this role.",
    ),
  })
  .describe("The framework's resources in one role.");

export const FrameworkStatusSchema = z
  .object({
    frameworkId: mesosId()
      .optional()
      .meta({ description: "The FrameworkID the operator assigned.", mesos: "FrameworkID" }),
    phase: z.enum(FRAMEWORK_PHASES).optional().meta({
      description:
        "Registered (known, never subscribed), Active (subscribed), Disconnected (stream gone, failover timer running) or Completed (torn down).",
      mesos: "/master/state frameworks[].active, completed_frameworks",
    }),
    connected: z.boolean().optional().meta({
      description: "Whether a scheduler is subscribed right now.",
      mesos: "/master/state frameworks[].connected",
    }),
    registeredTime: dateTime()
      .optional()
      .meta({ description: "When the framework first subscribed.", mesos: "registered_time" }),
    reregisteredTime: dateTime()
      .optional()
      .meta({ description: "When the framework last re-subscribed.", mesos: "reregistered_time" }),
    unregisteredTime: dateTime()
      .optional()
      .meta({ description: "When the framework was torn down.", mesos: "unregistered_time" }),
    activeTasks: z.number().int().min(0).max(1_000_000).optional().meta({
      description: "Number of the framework's non-terminal tasks.",
      mesos: "/master/state frameworks[].tasks (count)",
    }),
    resources: mapList(RoleResourcesSchema, "role", 64).optional().meta({
      description: "Allocated and offered resources per role.",
      mesos: "allocated_resources / offered_resources",
    }),
    observedGeneration: observedGenerationField(),
    conditions: conditionsField(),
  })
  .describe("Observed state of the Framework.");
export type FrameworkStatus = z.infer<typeof FrameworkStatusSchema>;

export const FrameworkKind = defineKind({
  kind: "Framework",
  plural: "frameworks",
  singular: "framework",
  shortNames: ["mfw"],
  scope: "Namespaced",
  description:
    "A Mesos framework (FrameworkInfo). Its Offers, Tasks and their pods live in its namespace. Created with kubectl or by a SUBSCRIBE call on the Mesos scheduler API.",
  spec: FrameworkSpecSchema,
  status: FrameworkStatusSchema,
  printerColumns: [
    { name: "ID", type: "string", jsonPath: ".status.frameworkId", description: "Mesos FrameworkID." },
    { name: "Roles", type: "string", jsonPath: ".spec.roles", description: "Subscribed roles." },
    { name: "Phase", type: "string", jsonPath: ".status.phase", description: "Lifecycle phase." },
    { name: "Tasks", type: "integer", jsonPath: ".status.activeTasks", description: "Non-terminal tasks." },
    {
      name: "Age",
      type: "date",
      jsonPath: ".metadata.creationTimestamp",
      description: "Time since creation.",
    },
  ],
  selectableFields: [".status.phase", ".status.frameworkId"],
});
export const FrameworkSchema = FrameworkKind.schema;
export type Framework = z.infer<typeof FrameworkSchema>;
