// Role: a Mesos role with its weight and quota (cluster-scoped, like roles in a Mesos master).
import { z } from "zod";
import { defineKind } from "./crd.ts";
import { type CelRule, cel, conditionsField, observedGenerationField, unchangedCel } from "./k8s.ts";
import {
  ResourcesSchema,
  RoleNameSchema,
  SCALAR_NAMES,
  type ScalarQuantities,
  ScalarQuantitiesSchema,
} from "./mesos.ts";

const guaranteeWithinLimit = (name: (typeof SCALAR_NAMES)[number]): CelRule<Quota> => ({
  rule: `!has(self.guarantee) || !has(self.limit) || !has(self.guarantee.${name}) || !has(self.limit.${name}) || self.guarantee.${name} <= self.limit.${name}`,
  message: `quota guarantee.${name} must not exceed limit.${name}`,
  check: (q) => {
    const g = q.guarantee?.[name];
    const l = q.limit?.[name];
    return g === undefined || l === undefined || g <= l;
  },
});

interface Quota {
  guarantee?: ScalarQuantities | undefined;
  limit?: ScalarQuantities | undefined;
}

export const QuotaSchema = cel(
  z
    .object({
      guarantee: ScalarQuantitiesSchema.optional().meta({
        description: "Resources the role is guaranteed (offered first, held back from other roles).",
        mesos: "QuotaConfig.guarantees",
      }),
      limit: ScalarQuantitiesSchema.optional().meta({
        description:
          "Most resources the role may hold (offered plus allocated); a missing name means no limit.",
        mesos: "QuotaConfig.limits",
      }),
    })
    .meta({ description: "Quota of the role (scalar resources only).", mesos: "QuotaConfig" }),
  SCALAR_NAMES.map(guaranteeWithinLimit),
);

export const RoleSpecSchema = cel(
  z
    .object({
      name: RoleNameSchema.optional().meta({
        description:
          'The Mesos role name, e.g. "eng/web" (hierarchical). Defaults to metadata.name. Immutable. Two Roles must not name the same role.',
        mesos: "role",
      }),
      weight: z.number().positive().max(1_000_000).default(1).meta({
        description: "DRF weight: a role with weight 2 gets twice the fair share (default 1).",
        mesos: "WeightInfo.weight",
      }),
      quota: QuotaSchema.optional(),
    })
    .describe("Desired state of the Role: its weight and quota."),
  [
    { rule: unchangedCel("name"), message: "spec.name (the Mesos role name) is immutable" },
    {
      rule: "!has(self.quota) || !has(self.name) || !self.name.contains('/')",
      message: "quota can only be set on top-level roles (Mesos refuses quota for nested roles such as a/b)",
      check: (s) => s.quota === undefined || s.name === undefined || !s.name.includes("/"),
    },
  ],
);
export type RoleSpec = z.infer<typeof RoleSpecSchema>;

export const RoleStatusSchema = z
  .object({
    allocated: ResourcesSchema.optional().meta({
      description: "Resources used by tasks in this role and its sub-roles.",
      mesos: "/roles allocated / GET_ROLES resources",
    }),
    offered: ResourcesSchema.optional().meta({
      description: "Resources in outstanding offers for this role.",
      mesos: "/roles offered",
    }),
    reserved: ResourcesSchema.optional().meta({
      description: "Resources reserved for this role.",
      mesos: "/roles reserved",
    }),
    dominantShare: z.number().min(0).max(1).optional().meta({
      description: "The role's DRF dominant share of the cluster (0–1, before weighting).",
      mesos: "DRF sorter share",
    }),
    frameworks: z.array(z.string().max(512)).max(1024).optional().meta({
      description: "Frameworks subscribed to the role (namespace/name).",
      mesos: "GET_ROLES frameworks",
    }),
    observedGeneration: observedGenerationField(),
    conditions: conditionsField(),
  })
  .describe("Observed state of the Role.");
export type RoleStatus = z.infer<typeof RoleStatusSchema>;

export const RoleKind = defineKind({
  kind: "Role",
  plural: "roles",
  singular: "role",
  shortNames: ["mrole"],
  scope: "Cluster",
  description:
    "A Mesos role: its DRF weight and quota (guarantee and limit). Cluster-scoped. Roles without a Role object have weight 1 and no quota.",
  spec: RoleSpecSchema,
  status: RoleStatusSchema,
  printerColumns: [
    { name: "Weight", type: "number", jsonPath: ".spec.weight", description: "DRF weight." },
    { name: "Share", type: "number", jsonPath: ".status.dominantShare", description: "Dominant share." },
    { name: "Quota", type: "string", jsonPath: ".spec.quota", description: "Quota guarantee and limit." },
    { name: "Role", type: "string", jsonPath: ".spec.name", description: "Mesos role name.", priority: 1 },
    {
      name: "Age",
      type: "date",
      jsonPath: ".metadata.creationTimestamp",
      description: "Time since creation.",
    },
  ],
});
export const RoleSchema = RoleKind.schema;
export type Role = z.infer<typeof RoleSchema>;
