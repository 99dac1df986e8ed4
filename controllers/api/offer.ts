// Offer: resources of one agent (node) offered to one framework in one role. Written by the
// operator's allocator; a kubectl user accepts it by creating a Task that names it, or declines it
// by setting spec.decline (or deleting the Offer).
import { z } from "zod";
import { defineKind } from "./crd.ts";
import { cel, conditionsField, dateTime, observedGenerationField, unchangedFieldsCel } from "./k8s.ts";
import { AttributeSchema, frameworkNameField, mesosId, ResourceSchema, RoleNameSchema } from "./mesos.ts";

export const OFFER_PHASES = ["Outstanding", "Accepted", "Declined", "Rescinded", "Expired"] as const;
export type OfferPhase = (typeof OFFER_PHASES)[number];

/** Mesos caps refuse_seconds at 365 days. */
export const MAX_REFUSE_SECONDS = 31_536_000;
export const DEFAULT_REFUSE_SECONDS = 5;

export const DeclineSchema = z
  .object({
    refuseSeconds: z.number().min(0).max(MAX_REFUSE_SECONDS).default(DEFAULT_REFUSE_SECONDS).meta({
      description:
        "How long (seconds) not to offer these resources on this agent to this framework and role again; 0 installs no filter. At most 365 days.",
      mesos: "Filters.refuse_seconds",
    }),
  })
  .meta({
    description:
      'Set to decline the offer (e.g. `kubectl patch moffer NAME --type merge -p \'{"spec":{"decline":{"refuseSeconds":60}}}\'`). Cannot be withdrawn.',
    mesos: "DECLINE call",
  });

const IMMUTABLE_OFFER_FIELDS = unchangedFieldsCel(
  ["offerId", "frameworkName", "agentId", "nodeName", "hostname", "role", "resources"],
  ["attributes", "domain", "unavailability", "expiresAt"],
);

export const OfferSpecSchema = cel(
  z
    .object({
      offerId: mesosId().meta({ description: "The Mesos OfferID.", mesos: "Offer.id" }),
      frameworkName: frameworkNameField(),
      agentId: mesosId().meta({
        description: "The agent (node) the resources are on.",
        mesos: "Offer.agent_id",
      }),
      nodeName: z.string().min(1).max(253).describe("Name of the Kubernetes Node behind the agent."),
      hostname: z
        .string()
        .min(1)
        .max(253)
        .meta({ description: "The agent's hostname.", mesos: "Offer.hostname" }),
      role: RoleNameSchema.meta({
        description: "The role all of the offer's resources are allocated to.",
        mesos: "Offer.allocation_info.role",
      }),
      resources: z
        .array(ResourceSchema)
        .max(64)
        .meta({ description: "The offered resources.", mesos: "Offer.resources" }),
      attributes: z
        .array(AttributeSchema)
        .max(64)
        .optional()
        .meta({ description: "The agent's attributes (from node labels).", mesos: "Offer.attributes" }),
      domain: z
        .object({
          region: z.string().max(253).optional().meta({
            description: "Fault-domain region (topology.kubernetes.io/region).",
            mesos: "FaultDomain.region.name",
          }),
          zone: z.string().max(253).optional().meta({
            description: "Fault-domain zone (topology.kubernetes.io/zone).",
            mesos: "FaultDomain.zone.name",
          }),
        })
        .optional()
        .meta({ description: "The agent's fault domain.", mesos: "Offer.domain.fault_domain" }),
      unavailability: z
        .object({
          start: dateTime().meta({
            description: "When the agent becomes unavailable.",
            mesos: "Unavailability.start",
          }),
          durationSeconds: z.number().min(0).optional().meta({
            description: "For how long; absent means indefinitely.",
            mesos: "Unavailability.duration",
          }),
        })
        .optional()
        .meta({
          description: "Scheduled maintenance of the agent (node drain).",
          mesos: "Offer.unavailability",
        }),
      expiresAt: dateTime().optional().meta({
        description: "When the operator rescinds the offer if it is still outstanding; absent means never.",
        mesos: "master --offer_timeout",
      }),
      decline: DeclineSchema.optional(),
    })
    .describe("The offer, as produced by the allocator. Only spec.decline may be set by users."),
  [
    {
      rule: IMMUTABLE_OFFER_FIELDS,
      message: "an offer's contents are immutable; only spec.decline may be set",
    },
    {
      rule: "!has(oldSelf.decline) || (has(self.decline) && self.decline == oldSelf.decline)",
      message: "spec.decline cannot be changed or removed once set",
    },
  ],
);
export type OfferSpec = z.infer<typeof OfferSpecSchema>;

export const OfferStatusSchema = z
  .object({
    phase: z
      .enum(OFFER_PHASES)
      .optional()
      .describe(
        "Outstanding (waiting for a decision), Accepted (a Task used it), Declined, Rescinded (taken back by the operator) or Expired (offer timeout).",
      ),
    reason: z
      .string()
      .max(1024)
      .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/)
      .optional()
      .describe("CamelCase reason for the phase, e.g. AgentRemoved or FrameworkDisconnected."),
    message: z.string().max(32768).optional().describe("Human-readable details about the phase."),
    acceptedBy: z
      .array(z.string().max(253))
      .max(64)
      .optional()
      .meta({ description: "Names of the Tasks that consumed the offer.", mesos: "ACCEPT operations" }),
    observedGeneration: observedGenerationField(),
    conditions: conditionsField(),
  })
  .describe("Observed state of the Offer.");
export type OfferStatus = z.infer<typeof OfferStatusSchema>;

export const OfferKind = defineKind({
  kind: "Offer",
  plural: "offers",
  singular: "offer",
  shortNames: ["moffer"],
  scope: "Namespaced",
  description:
    "A Mesos resource offer: resources on one agent (node) offered to one framework in one role. Accept it by creating a Task whose spec.offerIds names it; decline it with spec.decline or by deleting it.",
  spec: OfferSpecSchema,
  status: OfferStatusSchema,
  printerColumns: [
    { name: "Framework", type: "string", jsonPath: ".spec.frameworkName", description: "Owning framework." },
    {
      name: "Node",
      type: "string",
      jsonPath: ".spec.nodeName",
      description: "Node (agent) of the resources.",
    },
    {
      name: "CPUs",
      type: "number",
      jsonPath: '.spec.resources[?(@.name=="cpus")].scalar',
      description: "Offered CPUs (first cpus resource).",
    },
    {
      name: "Mem",
      type: "number",
      jsonPath: '.spec.resources[?(@.name=="mem")].scalar',
      description: "Offered memory in MB (first mem resource).",
    },
    { name: "Phase", type: "string", jsonPath: ".status.phase", description: "Offer lifecycle phase." },
    {
      name: "Expires",
      type: "string",
      jsonPath: ".spec.expiresAt",
      description: "When the offer is rescinded.",
    },
    { name: "ID", type: "string", jsonPath: ".spec.offerId", description: "Mesos OfferID.", priority: 1 },
    { name: "Role", type: "string", jsonPath: ".spec.role", description: "Allocation role.", priority: 1 },
  ],
  selectableFields: [".spec.frameworkName", ".spec.nodeName", ".spec.offerId", ".status.phase"],
});
export const OfferSchema = OfferKind.schema;
export type Offer = z.infer<typeof OfferSchema>;
