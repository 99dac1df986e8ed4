// Offer.Operation (semantics.md §2.1). Parsed whole; which operations can be carried out is the
// state side's decision (unsupported ones must answer with Mesos's error, never be dropped silently).
import type { z } from "zod";
import { enumeration, message, repeated, text } from "../wire/protobufJson.ts";
import { ExecutorInfoSchema } from "./executorInfo.ts";
import { IdSchema } from "./ids.ts";
import { ResourceSchema, ScalarSchema } from "./resource.ts";
import { TaskInfoSchema } from "./taskInfo.ts";

export const OFFER_OPERATION_TYPES = [
  "UNKNOWN",
  "LAUNCH",
  "LAUNCH_GROUP",
  "RESERVE",
  "UNRESERVE",
  "CREATE",
  "DESTROY",
  "GROW_VOLUME",
  "SHRINK_VOLUME",
  "CREATE_DISK",
  "DESTROY_DISK",
] as const;
export type OfferOperationType = (typeof OFFER_OPERATION_TYPES)[number];

export const OfferOperationSchema = message({
  type: enumeration(OFFER_OPERATION_TYPES).optional(),
  id: IdSchema.optional(),
  launch: message({ task_infos: repeated(TaskInfoSchema) }).optional(),
  launch_group: message({
    executor: ExecutorInfoSchema,
    task_group: message({ tasks: repeated(TaskInfoSchema) }),
  }).optional(),
  reserve: message({ source: repeated(ResourceSchema), resources: repeated(ResourceSchema) }).optional(),
  unreserve: message({ resources: repeated(ResourceSchema) }).optional(),
  create: message({ volumes: repeated(ResourceSchema) }).optional(),
  destroy: message({ volumes: repeated(ResourceSchema) }).optional(),
  grow_volume: message({ volume: ResourceSchema, addition: ResourceSchema }).optional(),
  shrink_volume: message({ volume: ResourceSchema, subtract: ScalarSchema }).optional(),
  create_disk: message({
    source: ResourceSchema,
    target_type: enumeration(["UNKNOWN", "PATH", "MOUNT", "BLOCK", "RAW"]),
    target_profile: text().optional(),
  }).optional(),
  destroy_disk: message({ source: ResourceSchema }).optional(),
});
export type OfferOperation = z.infer<typeof OfferOperationSchema>;
