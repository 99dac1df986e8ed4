// FrameworkInfo (semantics.md §2.2), with the proto defaults Mesos echoes back filled in.
import type { z } from "zod";
import { FRAMEWORK_CAPABILITIES } from "../../api/mesos.ts";
import { bool, double, enumeration, map, message, repeated, text } from "../wire/protobufJson.ts";
import { IdSchema } from "./ids.ts";
import { LabelsSchema } from "./labels.ts";
import { ScalarSchema } from "./resource.ts";

export const FRAMEWORK_CAPABILITY_TYPES = ["UNKNOWN", ...FRAMEWORK_CAPABILITIES] as const;

const OfferFiltersSchema = message({
  min_allocatable_resources: message({
    quantities: repeated(message({ quantities: map(ScalarSchema).optional() })),
  }).optional(),
});

export const FrameworkInfoSchema = message({
  user: text(),
  name: text(),
  id: IdSchema.optional(),
  failover_timeout: double().default(0),
  checkpoint: bool().default(false),
  /** Deprecated single role (frameworks without MULTI_ROLE); Mesos defaults it to "*" but only emits it when set. */
  role: text().optional(),
  roles: repeated(text()),
  hostname: text().optional(),
  principal: text().optional(),
  webui_url: text().optional(),
  capabilities: repeated(message({ type: enumeration(FRAMEWORK_CAPABILITY_TYPES).optional() })),
  labels: LabelsSchema.optional(),
  offer_filters: map(OfferFiltersSchema).optional(),
});
export type FrameworkInfo = z.infer<typeof FrameworkInfoSchema>;
