// ExecutorInfo (semantics.md §2.5).
import type { z } from "zod";
import { bytes, enumeration, message, opaque, repeated, text } from "../wire/protobufJson.ts";
import { CommandInfoSchema } from "./commandInfo.ts";
import { ContainerInfoSchema } from "./containerInfo.ts";
import { IdSchema } from "./ids.ts";
import { LabelsSchema } from "./labels.ts";
import { ResourceSchema } from "./resource.ts";
import { DurationInfoSchema } from "./time.ts";

export const ExecutorInfoSchema = message({
  type: enumeration(["UNKNOWN", "DEFAULT", "CUSTOM"]).optional(),
  executor_id: IdSchema,
  framework_id: IdSchema.optional(),
  command: CommandInfoSchema.optional(),
  container: ContainerInfoSchema.optional(),
  resources: repeated(ResourceSchema),
  name: text().optional(),
  source: text().optional(),
  data: bytes().optional(),
  discovery: opaque().optional(),
  shutdown_grace_period: DurationInfoSchema.optional(),
  labels: LabelsSchema.optional(),
});
export type ExecutorInfo = z.infer<typeof ExecutorInfoSchema>;
