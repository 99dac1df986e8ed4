// The Node as the operator reads it: wire JSON validated for the fields the allocator's
// nodeToAgent and the reconcilers use (labels, allocatable, conditions, taints, cordon), the rest
// passed through. Assignable to the allocator's NodeLike.
import { z } from "zod";
import { ObjectMetaSchema } from "../api/index.ts";

export const NodeConditionSchema = z.looseObject({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastHeartbeatTime: z.string().nullish(),
  lastTransitionTime: z.string().nullish(),
});

export const TaintSchema = z.looseObject({
  key: z.string(),
  value: z.string().optional(),
  effect: z.string(),
  timeAdded: z.string().nullish(),
});

export const NodeSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema,
  spec: z
    .looseObject({
      unschedulable: z.boolean().optional(),
      taints: z.array(TaintSchema).optional(),
      providerID: z.string().optional(),
    })
    .optional(),
  status: z
    .looseObject({
      allocatable: z.record(z.string(), z.string()).optional(),
      capacity: z.record(z.string(), z.string()).optional(),
      conditions: z.array(NodeConditionSchema).optional(),
      addresses: z.array(z.looseObject({ type: z.string(), address: z.string() })).optional(),
    })
    .optional(),
});
export type Node = z.infer<typeof NodeSchema>;
