// The Mesos HTTP façade's public API: the server, the port it is built against (MesosBackend),
// the Mesos message types the port speaks, and the helpers the state side needs to speak them
// (status-update retries, resource and uuid conversions).

export type {
  CallOutcome,
  FrameworkEventStream,
  Leadership,
  MasterDescription,
  MasterSnapshot,
  MesosBackend,
  OperatorChange,
  RegisteredFramework,
  SubscribeOutcome,
  SubscribeRequest,
} from "./backend.ts";
export type { Authentication, Credentials } from "./http/authentication.ts";
export type { ApiLogger } from "./http/logger.ts";
export {
  DEFAULT_OPERATOR_HEARTBEAT_SECONDS,
  DEFAULT_SCHEDULER_HEARTBEAT_SECONDS,
  MesosApiServer,
  type MesosApiServerOptions,
} from "./http/mesosApiServer.ts";
export type { IntervalTimers } from "./http/recordIoStream.ts";
export { MESOS_VERSION, VERSION_INFO, type VersionInfo } from "./mesosVersion.ts";
export type { AgentState } from "./messages/agent.ts";
export type { AgentInfo } from "./messages/agentInfo.ts";
export type { ExecutorState } from "./messages/executor.ts";
export type { FrameworkState } from "./messages/framework.ts";
export type { FrameworkInfo } from "./messages/frameworkInfo.ts";
export type { Id } from "./messages/ids.ts";
export type { Labels } from "./messages/labels.ts";
export type {
  MachineId,
  MaintenanceClusterStatus,
  MaintenanceSchedule,
  Unavailability,
} from "./messages/maintenance.ts";
export { type MasterInfo, masterInfoIp } from "./messages/masterInfo.ts";
export type { Address, DomainInfo, InverseOffer, Offer, Url } from "./messages/offer.ts";
export type { OfferConstraints } from "./messages/offerConstraints.ts";
export type { OfferOperation, OfferOperationType } from "./messages/offerOperation.ts";
export type { OperationState, OperationStatus } from "./messages/operationStatus.ts";
export type { QuotaConfig, WeightInfo } from "./messages/quota.ts";
export type { Attribute, Resource } from "./messages/resource.ts";
export {
  toAllocatorResources,
  toWireResources,
  type WireResourceOptions,
} from "./messages/resourceConversion.ts";
export type { RoleState } from "./messages/role.ts";
export type { Task } from "./messages/task.ts";
export type { TaskInfo } from "./messages/taskInfo.ts";
export type { ContainerStatus, TaskStatus } from "./messages/taskStatus.ts";
export {
  type DurationInfo,
  secondsFromTimeInfo,
  type TimeInfo,
  timeInfoFromSeconds,
} from "./messages/time.ts";
export type { ClusterEvent, OperatorEvent } from "./operator/event.ts";
export type {
  Accept,
  Acknowledge,
  AcknowledgeOperationStatus,
  Decline,
  FrameworkMessage,
  InverseOffersResponse,
  Kill,
  Reconcile,
  ReconcileOperations,
  Request,
  Roles,
  Shutdown,
  Subscribe,
  UpdateFramework,
} from "./scheduler/call.ts";
export type { FrameworkEvent, SchedulerEvent } from "./scheduler/event.ts";
export {
  INITIAL_RETRY_MS,
  MAX_RETRY_MS,
  StatusUpdateRetrier,
  type StatusUpdateRetrierOptions,
  type TimeoutTimers,
} from "./scheduler/statusUpdateRetrier.ts";
export { base64ToUuidText, isUuidBytes, newStatusUuid, uuidTextToBase64 } from "./wire/uuid.ts";
