// scheduler.proto Call (semantics.md §1.6): every call type and its sub-message, as zod schemas.
// Parsing only checks shapes (what stout's JSON → protobuf conversion checks); the per-type rules
// of §1.3 are in callValidation.ts.
import type { z } from "zod";
import { filtersField } from "../messages/filters.ts";
import { FrameworkInfoSchema } from "../messages/frameworkInfo.ts";
import { KillPolicySchema } from "../messages/healthCheck.ts";
import { IdSchema } from "../messages/ids.ts";
import { OfferConstraintsSchema } from "../messages/offerConstraints.ts";
import { OfferOperationSchema } from "../messages/offerOperation.ts";
import { ResourceSchema } from "../messages/resource.ts";
import { bytes, enumeration, message, repeated, text } from "../wire/protobufJson.ts";

export const SCHEDULER_CALL_TYPES = [
  "UNKNOWN",
  "SUBSCRIBE",
  "TEARDOWN",
  "ACCEPT",
  "DECLINE",
  "ACCEPT_INVERSE_OFFERS",
  "DECLINE_INVERSE_OFFERS",
  "REVIVE",
  "KILL",
  "SHUTDOWN",
  "ACKNOWLEDGE",
  "ACKNOWLEDGE_OPERATION_STATUS",
  "RECONCILE",
  "RECONCILE_OPERATIONS",
  "MESSAGE",
  "REQUEST",
  "SUPPRESS",
  "UPDATE_FRAMEWORK",
] as const;
export type SchedulerCallType = (typeof SCHEDULER_CALL_TYPES)[number];

export const SubscribeSchema = message({
  framework_info: FrameworkInfoSchema,
  suppressed_roles: repeated(text()),
  offer_constraints: OfferConstraintsSchema.optional(),
});
export type Subscribe = z.infer<typeof SubscribeSchema>;

export const AcceptSchema = message({
  offer_ids: repeated(IdSchema),
  operations: repeated(OfferOperationSchema),
  filters: filtersField(),
});
export type Accept = z.infer<typeof AcceptSchema>;

export const DeclineSchema = message({ offer_ids: repeated(IdSchema), filters: filtersField() });
export type Decline = z.infer<typeof DeclineSchema>;

export const InverseOffersResponseSchema = message({
  inverse_offer_ids: repeated(IdSchema),
  filters: filtersField(),
});
export type InverseOffersResponse = z.infer<typeof InverseOffersResponseSchema>;

/** REVIVE and SUPPRESS: an empty list means all of the framework's roles. */
export const RolesSchema = message({ roles: repeated(text()) });
export type Roles = z.infer<typeof RolesSchema>;

export const KillSchema = message({
  task_id: IdSchema,
  agent_id: IdSchema.optional(),
  kill_policy: KillPolicySchema.optional(),
});
export type Kill = z.infer<typeof KillSchema>;

export const ShutdownSchema = message({ executor_id: IdSchema, agent_id: IdSchema });
export type Shutdown = z.infer<typeof ShutdownSchema>;

export const AcknowledgeSchema = message({ agent_id: IdSchema, task_id: IdSchema, uuid: bytes() });
export type Acknowledge = z.infer<typeof AcknowledgeSchema>;

export const AcknowledgeOperationStatusSchema = message({
  agent_id: IdSchema.optional(),
  resource_provider_id: IdSchema.optional(),
  uuid: bytes(),
  operation_id: IdSchema,
});
export type AcknowledgeOperationStatus = z.infer<typeof AcknowledgeOperationStatusSchema>;

export const ReconcileSchema = message({
  tasks: repeated(message({ task_id: IdSchema, agent_id: IdSchema.optional() })),
});
export type Reconcile = z.infer<typeof ReconcileSchema>;

export const ReconcileOperationsSchema = message({
  operations: repeated(
    message({
      operation_id: IdSchema,
      agent_id: IdSchema.optional(),
      resource_provider_id: IdSchema.optional(),
    }),
  ),
});
export type ReconcileOperations = z.infer<typeof ReconcileOperationsSchema>;

export const FrameworkMessageSchema = message({ agent_id: IdSchema, executor_id: IdSchema, data: bytes() });
export type FrameworkMessage = z.infer<typeof FrameworkMessageSchema>;

export const RequestSchema = message({
  requests: repeated(message({ agent_id: IdSchema.optional(), resources: repeated(ResourceSchema) })),
});
export type Request = z.infer<typeof RequestSchema>;

export const UpdateFrameworkSchema = message({
  framework_info: FrameworkInfoSchema,
  suppressed_roles: repeated(text()),
  offer_constraints: OfferConstraintsSchema.optional(),
});
export type UpdateFramework = z.infer<typeof UpdateFrameworkSchema>;

export const SchedulerCallSchema = message({
  framework_id: IdSchema.optional(),
  type: enumeration(SCHEDULER_CALL_TYPES).optional(),
  subscribe: SubscribeSchema.optional(),
  accept: AcceptSchema.optional(),
  decline: DeclineSchema.optional(),
  accept_inverse_offers: InverseOffersResponseSchema.optional(),
  decline_inverse_offers: InverseOffersResponseSchema.optional(),
  revive: RolesSchema.optional(),
  kill: KillSchema.optional(),
  shutdown: ShutdownSchema.optional(),
  acknowledge: AcknowledgeSchema.optional(),
  acknowledge_operation_status: AcknowledgeOperationStatusSchema.optional(),
  reconcile: ReconcileSchema.optional(),
  reconcile_operations: ReconcileOperationsSchema.optional(),
  message: FrameworkMessageSchema.optional(),
  request: RequestSchema.optional(),
  suppress: RolesSchema.optional(),
  update_framework: UpdateFrameworkSchema.optional(),
});
export type SchedulerCall = z.infer<typeof SchedulerCallSchema>;
