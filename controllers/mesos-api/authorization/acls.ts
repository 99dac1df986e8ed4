// Mesos's ACLs (--acls, include/mesos/authorizer/acls.proto) in their JSON form, parsed with zod.
// Every ACL of Mesos is accepted so that an existing Mesos ACL file loads unchanged; which ones
// this master enforces is ENFORCED_ACLS (the rest is documented in docs/mesos-compatibility.md).
import { z } from "zod";

/** ACL.Entity: `{"values": [...]}` (type SOME, the proto default), `{"type": "ANY"}` or `{"type": "NONE"}`. */
const EntitySchema = z
  .object({
    type: z.enum(["SOME", "ANY", "NONE"]).default("SOME"),
    /** Ignored for ANY and NONE, as in Mesos. */
    values: z.array(z.string()).default([]),
  })
  .strict();
export type Entity = z.output<typeof EntitySchema>;

// Field → name of its object entity, as in acls.proto (`ACLs` message); the subject is always
// `principals`.
const ACL_OBJECTS = {
  register_frameworks: "roles",
  run_tasks: "users",
  reserve_resources: "roles",
  unreserve_resources: "reserver_principals",
  create_volumes: "roles",
  destroy_volumes: "creator_principals",
  resize_volumes: "roles",
  teardown_frameworks: "framework_principals",
  update_weights: "roles",
  get_endpoints: "paths",
  get_quotas: "roles",
  update_quotas: "roles",
  view_frameworks: "users",
  view_tasks: "users",
  view_executors: "users",
  access_sandboxes: "users",
  access_mesos_logs: "logs",
  view_roles: "roles",
  view_flags: "flags",
  launch_nested_containers_as_user: "users",
  launch_nested_containers_under_parent_with_user: "users",
  kill_nested_containers: "users",
  wait_nested_containers: "users",
  launch_nested_container_sessions_as_user: "users",
  launch_nested_container_sessions_under_parent_with_user: "users",
  attach_containers_input: "users",
  attach_containers_output: "users",
  view_containers: "users",
  set_log_level: "level",
  remove_nested_containers: "users",
  register_agents: "agents",
  update_maintenance_schedules: "machines",
  get_maintenance_schedules: "machines",
  start_maintenances: "machines",
  stop_maintenances: "machines",
  get_maintenance_statuses: "machines",
  drain_agents: "agents",
  deactivate_agents: "agents",
  reactivate_agents: "agents",
  mark_agents_gone: "agents",
  launch_standalone_containers: "users",
  kill_standalone_containers: "users",
  wait_standalone_containers: "users",
  remove_standalone_containers: "users",
  view_standalone_containers: "users",
  modify_resource_provider_configs: "resource_providers",
  mark_resource_providers_gone: "resource_providers",
  view_resource_providers: "resource_providers",
  prune_images: "images",
  create_block_disks: "roles",
  destroy_block_disks: "roles",
  create_mount_disks: "roles",
  destroy_mount_disks: "roles",
  destroy_raw_disks: "roles",
} as const;

export type AclField = keyof typeof ACL_OBJECTS;

/** ACLs whose object may only be ANY or NONE, with Mesos's name for the message (LocalAuthorizer::validate). */
const ANY_OR_NONE: Partial<Record<AclField, string>> = {
  access_mesos_logs: "AccessMesosLog",
  view_flags: "ViewFlags",
  set_log_level: "SetLogLevel",
  register_agents: "RegisterAgent",
  update_maintenance_schedules: "UpdateMaintenanceSchedule",
  get_maintenance_schedules: "GetMaintenanceSchedule",
  start_maintenances: "StartMaintenance",
  stop_maintenances: "StopMaintenance",
  get_maintenance_statuses: "GetMaintenanceStatus",
  drain_agents: "DrainAgent",
  deactivate_agents: "DeactivateAgent",
  reactivate_agents: "ReactivateAgent",
  launch_standalone_containers: "LaunchStandaloneContainer",
  kill_standalone_containers: "KillStandaloneContainer",
  wait_standalone_containers: "WaitStandaloneContainer",
  remove_standalone_containers: "RemoveStandaloneContainer",
  view_standalone_containers: "ViewStandaloneContainer",
  modify_resource_provider_configs: "ModifyResourceProviderConfig",
  mark_resource_providers_gone: "MarkResourceProvidersGone",
  view_resource_providers: "ViewResourceProvider",
  prune_images: "PruneImages",
};

const FIELDS = Object.keys(ACL_OBJECTS) as AclField[];

/** The schema of one ACL of `field`: {principals, <object>}, both required as in the proto. */
function aclSchema(field: AclField) {
  const object = ACL_OBJECTS[field];
  const schema = z.object({ principals: EntitySchema, [object]: EntitySchema }).strict();
  const name = ANY_OR_NONE[field];
  if (name === undefined) return schema;
  return schema.refine((a) => (a[object] as Entity).type !== "SOME", {
    message: `ACL.${name} type must be either NONE or ANY`,
  });
}

/**
 * The ACLs this master checks, with what each guards. The others are accepted (a Mesos file
 * loads unchanged) but not enforced: endpoint access, and container/volume/disk/log actions that
 * have no counterpart here.
 */
export const ENFORCED_ACLS = {
  register_frameworks: "SUBSCRIBE and UPDATE_FRAMEWORK (403 / ERROR event)",
  run_tasks: "ACCEPT LAUNCH and LAUNCH_GROUP (TASK_ERROR REASON_TASK_UNAUTHORIZED / _GROUP_UNAUTHORIZED)",
  teardown_frameworks: "operator TEARDOWN",
  update_weights: "UPDATE_WEIGHTS",
  update_quotas: "UPDATE_QUOTA, SET_QUOTA, REMOVE_QUOTA",
  mark_agents_gone: "MARK_AGENT_GONE, DRAIN_AGENT with mark_gone",
  drain_agents: "DRAIN_AGENT",
  deactivate_agents: "DEACTIVATE_AGENT",
  reactivate_agents: "REACTIVATE_AGENT",
  update_maintenance_schedules: "UPDATE_MAINTENANCE_SCHEDULE",
  start_maintenances: "START_MAINTENANCE",
  stop_maintenances: "STOP_MAINTENANCE",
  view_frameworks:
    "frameworks shown by GET_STATE, GET_FRAMEWORKS, operator SUBSCRIBE, /master/state, /frameworks",
  view_tasks: "tasks shown by GET_STATE, GET_TASKS, /master/state, /tasks",
  view_executors: "executors shown by GET_STATE, GET_EXECUTORS",
  view_roles: "roles and weights shown by GET_ROLES, GET_WEIGHTS, /roles",
  get_quotas: "quota shown by GET_QUOTA",
  view_flags: "GET_FLAGS, /flags (403), the flags of /master/state",
  get_maintenance_schedules: "GET_MAINTENANCE_SCHEDULE, /maintenance/schedule (empty when refused)",
  get_maintenance_statuses: "GET_MAINTENANCE_STATUS, /maintenance/status (empty when refused)",
  reserve_resources: "RESERVE_RESOURCES (403), ACCEPT RESERVE (dropped; OPERATION_ERROR with an id)",
  unreserve_resources: "UNRESERVE_RESOURCES and a RESERVE from source (403), ACCEPT UNRESERVE (dropped)",
} as const satisfies Partial<Record<AclField, string>>;

/** One ACL with its object entity under a fixed name. */
export interface GenericAcl {
  principals: Entity;
  object: Entity;
}

const AclsSchema = z
  .object({
    // Mesos's default: a request no ACL matches is allowed.
    permissive: z.boolean().default(true),
    ...Object.fromEntries(FIELDS.map((field) => [field, z.array(aclSchema(field)).default([])])),
  })
  // Mesos ignores unknown fields; here a misspelled action is an error, since ignoring it could
  // silently allow what the operator meant to deny (Mesos's own TODO in LocalAuthorizer::validate).
  .strict();

/** Parsed ACLs: `permissive`, and every field as a list of {principals, object}. */
export interface Acls {
  permissive: boolean;
  lists: Record<AclField, GenericAcl[]>;
}

/** Parse the JSON text of an ACLs file; throws an Error that says what is wrong. */
export function parseAcls(text: string): Acls {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`acls: invalid JSON: ${(err as Error).message}`);
  }
  const parsed = AclsSchema.safeParse(json);
  if (!parsed.success) throw new Error(`acls: ${z.prettifyError(parsed.error)}`);
  const data = parsed.data as Record<string, unknown>;
  const lists = {} as Record<AclField, GenericAcl[]>;
  for (const field of FIELDS) {
    const object = ACL_OBJECTS[field];
    lists[field] = (data[field] as Record<string, Entity>[]).map((a) => ({
      principals: a.principals as Entity,
      object: a[object] as Entity,
    }));
  }
  return { permissive: parsed.data.permissive, lists };
}
