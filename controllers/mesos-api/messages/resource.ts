// Resource, Value and Attribute of mesos.proto (semantics.md §2.4).
import type { z } from "zod";
import { double, empty, enumeration, message, opaque, repeated, text, uint64 } from "../wire/protobufJson.ts";
import { IdSchema } from "./ids.ts";
import { LabelsSchema } from "./labels.ts";

export const VALUE_TYPES = ["SCALAR", "RANGES", "SET", "TEXT"] as const;

export const ScalarSchema = message({ value: double() });
export const RangeSchema = message({ begin: uint64(), end: uint64() });
export const RangesSchema = message({ range: repeated(RangeSchema) });
export const SetSchema = message({ item: repeated(text()) });
export const TextSchema = message({ value: text() });

export const ReservationInfoSchema = message({
  type: enumeration(["UNKNOWN", "STATIC", "DYNAMIC"]).optional(),
  role: text().optional(),
  principal: text().optional(),
  labels: LabelsSchema.optional(),
});
export type ReservationInfo = z.infer<typeof ReservationInfoSchema>;

// Repeated fields of Resource stay optional (absent stays absent) because Resources also flow
// out, built by the state side, and proto JSON omits empty lists.
export const ResourceSchema = message({
  provider_id: IdSchema.optional(),
  name: text(),
  type: enumeration(VALUE_TYPES),
  scalar: ScalarSchema.optional(),
  ranges: RangesSchema.optional(),
  set: SetSchema.optional(),
  /** Deprecated pre-refinement role ("*" = unreserved); Mesos only emits it when set. */
  role: text().optional(),
  allocation_info: message({ role: text().optional() }).optional(),
  /** Pre-refinement dynamic reservation (with `role`). */
  reservation: ReservationInfoSchema.optional(),
  /** Post-refinement reservation stack (frameworks with RESERVATION_REFINEMENT). */
  reservations: repeated(ReservationInfoSchema).optional(),
  disk: opaque().optional(),
  revocable: empty().optional(),
  shared: empty().optional(),
});
export type Resource = z.infer<typeof ResourceSchema>;

export const AttributeSchema = message({
  name: text(),
  type: enumeration(VALUE_TYPES),
  scalar: ScalarSchema.optional(),
  ranges: RangesSchema.optional(),
  set: SetSchema.optional(),
  text: TextSchema.optional(),
});
export type Attribute = z.infer<typeof AttributeSchema>;
