// Quota and weights (quota.proto, mesos.proto WeightInfo; semantics.md §3.2, §4.3).
import type { z } from "zod";
import { double, map, message, text } from "../wire/protobufJson.ts";
import { ScalarSchema } from "./resource.ts";

export const QuotaConfigSchema = message({
  role: text(),
  guarantees: map(ScalarSchema).optional(),
  limits: map(ScalarSchema).optional(),
});
export type QuotaConfig = z.infer<typeof QuotaConfigSchema>;

export const WeightInfoSchema = message({ weight: double(), role: text().optional() });
export type WeightInfo = z.infer<typeof WeightInfoSchema>;
