// master.proto Call (operator API v1, semantics.md §3.1–3.2) as zod schemas.
import type { z } from "zod";
import { IdSchema } from "../messages/ids.ts";
import { MachineIdSchema, MaintenanceScheduleSchema } from "../messages/maintenance.ts";
import { QuotaConfigSchema, WeightInfoSchema } from "../messages/quota.ts";
import { ResourceSchema, ScalarSchema } from "../messages/resource.ts";
import { DurationInfoSchema, ProtobufDurationSchema } from "../messages/time.ts";
import { bool, enumeration, message, repeated, text, uint32, uint64 } from "../wire/protobufJson.ts";

export const OPERATOR_CALL_TYPES = [
  "UNKNOWN",
  "GET_HEALTH",
  "GET_FLAGS",
  "GET_VERSION",
  "GET_METRICS",
  "GET_LOGGING_LEVEL",
  "SET_LOGGING_LEVEL",
  "LIST_FILES",
  "READ_FILE",
  "GET_STATE",
  "GET_AGENTS",
  "GET_FRAMEWORKS",
  "GET_EXECUTORS",
  "GET_OPERATIONS",
  "GET_TASKS",
  "GET_ROLES",
  "GET_WEIGHTS",
  "UPDATE_WEIGHTS",
  "GET_MASTER",
  "SUBSCRIBE",
  "RESERVE_RESOURCES",
  "UNRESERVE_RESOURCES",
  "CREATE_VOLUMES",
  "DESTROY_VOLUMES",
  "GROW_VOLUME",
  "SHRINK_VOLUME",
  "GET_MAINTENANCE_STATUS",
  "GET_MAINTENANCE_SCHEDULE",
  "UPDATE_MAINTENANCE_SCHEDULE",
  "START_MAINTENANCE",
  "STOP_MAINTENANCE",
  "DRAIN_AGENT",
  "DEACTIVATE_AGENT",
  "REACTIVATE_AGENT",
  "GET_QUOTA",
  "UPDATE_QUOTA",
  "SET_QUOTA",
  "REMOVE_QUOTA",
  "TEARDOWN",
  "MARK_AGENT_GONE",
] as const;
export type OperatorCallType = (typeof OPERATOR_CALL_TYPES)[number];

const agentIdOnly = () => message({ agent_id: IdSchema });
const machines = () => message({ machines: repeated(MachineIdSchema) });

export const OperatorCallSchema = message({
  type: enumeration(OPERATOR_CALL_TYPES).optional(),
  get_metrics: message({ timeout: DurationInfoSchema.optional() }).optional(),
  set_logging_level: message({ level: uint32(), duration: DurationInfoSchema }).optional(),
  list_files: message({ path: text() }).optional(),
  read_file: message({ path: text(), offset: uint64(), length: uint64().optional() }).optional(),
  update_weights: message({ weight_infos: repeated(WeightInfoSchema) }).optional(),
  reserve_resources: message({
    agent_id: IdSchema,
    source: repeated(ResourceSchema),
    resources: repeated(ResourceSchema),
  }).optional(),
  unreserve_resources: message({ agent_id: IdSchema, resources: repeated(ResourceSchema) }).optional(),
  create_volumes: message({ agent_id: IdSchema, volumes: repeated(ResourceSchema) }).optional(),
  destroy_volumes: message({ agent_id: IdSchema, volumes: repeated(ResourceSchema) }).optional(),
  grow_volume: message({
    agent_id: IdSchema.optional(),
    volume: ResourceSchema,
    addition: ResourceSchema,
  }).optional(),
  shrink_volume: message({
    agent_id: IdSchema.optional(),
    volume: ResourceSchema,
    subtract: ScalarSchema,
  }).optional(),
  update_maintenance_schedule: message({ schedule: MaintenanceScheduleSchema }).optional(),
  start_maintenance: machines().optional(),
  stop_maintenance: machines().optional(),
  drain_agent: message({
    agent_id: IdSchema,
    max_grace_period: ProtobufDurationSchema.optional(),
    mark_gone: bool().default(false),
  }).optional(),
  deactivate_agent: agentIdOnly().optional(),
  reactivate_agent: agentIdOnly().optional(),
  update_quota: message({
    force: bool().default(false),
    quota_configs: repeated(QuotaConfigSchema),
  }).optional(),
  set_quota: message({
    quota_request: message({
      role: text().optional(),
      guarantee: repeated(ResourceSchema),
      force: bool().default(false),
    }),
  }).optional(),
  remove_quota: message({ role: text() }).optional(),
  teardown: message({ framework_id: IdSchema }).optional(),
  mark_agent_gone: agentIdOnly().optional(),
});
export type OperatorCall = z.infer<typeof OperatorCallSchema>;

/**
 * The sub-message each call type requires (validation::master::call::validate): sent without it,
 * the call is a 400 "Expecting '<field>' to be present".
 */
export const REQUIRED_SUB_MESSAGE: Partial<Record<OperatorCallType, keyof OperatorCall>> = {
  GET_METRICS: "get_metrics",
  SET_LOGGING_LEVEL: "set_logging_level",
  LIST_FILES: "list_files",
  READ_FILE: "read_file",
  UPDATE_WEIGHTS: "update_weights",
  RESERVE_RESOURCES: "reserve_resources",
  UNRESERVE_RESOURCES: "unreserve_resources",
  CREATE_VOLUMES: "create_volumes",
  DESTROY_VOLUMES: "destroy_volumes",
  GROW_VOLUME: "grow_volume",
  SHRINK_VOLUME: "shrink_volume",
  UPDATE_MAINTENANCE_SCHEDULE: "update_maintenance_schedule",
  START_MAINTENANCE: "start_maintenance",
  STOP_MAINTENANCE: "stop_maintenance",
  DRAIN_AGENT: "drain_agent",
  DEACTIVATE_AGENT: "deactivate_agent",
  REACTIVATE_AGENT: "reactivate_agent",
  UPDATE_QUOTA: "update_quota",
  SET_QUOTA: "set_quota",
  REMOVE_QUOTA: "remove_quota",
  TEARDOWN: "teardown",
  MARK_AGENT_GONE: "mark_agent_gone",
};
