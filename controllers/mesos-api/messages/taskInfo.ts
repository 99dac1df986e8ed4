// TaskInfo (semantics.md §2.5): what LAUNCH and LAUNCH_GROUP carry.
import type { z } from "zod";
import { bytes, map, message, opaque, repeated, text } from "../wire/protobufJson.ts";
import { CommandInfoSchema } from "./commandInfo.ts";
import { ContainerInfoSchema } from "./containerInfo.ts";
import { ExecutorInfoSchema } from "./executorInfo.ts";
import { HealthCheckSchema, KillPolicySchema } from "./healthCheck.ts";
import { IdSchema } from "./ids.ts";
import { LabelsSchema } from "./labels.ts";
import { ResourceSchema, ScalarSchema } from "./resource.ts";
import { DurationInfoSchema } from "./time.ts";

export const TaskInfoSchema = message({
  name: text(),
  task_id: IdSchema,
  agent_id: IdSchema,
  resources: repeated(ResourceSchema),
  executor: ExecutorInfoSchema.optional(),
  command: CommandInfoSchema.optional(),
  container: ContainerInfoSchema.optional(),
  health_check: HealthCheckSchema.optional(),
  check: opaque().optional(),
  kill_policy: KillPolicySchema.optional(),
  data: bytes().optional(),
  labels: LabelsSchema.optional(),
  discovery: opaque().optional(),
  max_completion_time: DurationInfoSchema.optional(),
  limits: map(ScalarSchema).optional(),
});
export type TaskInfo = z.infer<typeof TaskInfoSchema>;
