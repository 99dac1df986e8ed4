// OfferConstraints (scheduler.proto, semantics.md §1.8), given with SUBSCRIBE and UPDATE_FRAMEWORK.
import type { z } from "zod";
import { empty, enumeration, map, message, repeated, text } from "../wire/protobufJson.ts";

const SelectorSchema = message({
  pseudoattribute_type: enumeration(["UNKNOWN", "HOSTNAME", "REGION", "ZONE"]).optional(),
  attribute_name: text().optional(),
});

const PredicateSchema = message({
  exists: empty().optional(),
  not_exists: empty().optional(),
  text_equals: message({ value: text().optional() }).optional(),
  text_not_equals: message({ value: text().optional() }).optional(),
  text_matches: message({ regex: text().optional() }).optional(),
  text_not_matches: message({ regex: text().optional() }).optional(),
});

const AttributeConstraintSchema = message({ selector: SelectorSchema, predicate: PredicateSchema });
const GroupSchema = message({ attribute_constraints: repeated(AttributeConstraintSchema) });
const RoleConstraintsSchema = message({ groups: repeated(GroupSchema) });

export const OfferConstraintsSchema = message({ role_constraints: map(RoleConstraintsSchema).optional() });
export type OfferConstraints = z.infer<typeof OfferConstraintsSchema>;
