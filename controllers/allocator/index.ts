// The allocator's public API: what the controllers use. Everything here is pure (no I/O, no timers
// except through AllocationScheduler's injected functions).

export type {
  AcceptCall,
  AcceptOperation,
  LaunchedExecutor,
  LaunchedTask,
  TaskLaunch,
  TaskStatusUpdate,
} from "./acceptValidation.ts";
export { type LabelSelector, type LabelSelectorRequirement, matchesSelector } from "./agentSelector.ts";
export { AllocationScheduler, type SchedulerOptions, type TimerFunctions } from "./allocationScheduler.ts";
export {
  type AcceptResult,
  type AgentView,
  Allocator,
  type AllocatorOptions,
  type CycleResult,
  type FrameworkView,
  type ReservationResult,
  type RoleView,
} from "./allocator.ts";
export type { ExplainOptions, Explanation, Reason, Shortage } from "./explain.ts";
export { DEFAULT_REFUSE_SECONDS, refuseMillis } from "./filters.ts";
export { formatMilli, fromMilli, toMilli } from "./fixedPoint.ts";
export type {
  AgentSpec,
  Attribute,
  AttributeConstraint,
  FrameworkCapability,
  FrameworkSpec,
  OfferConstraints,
  PodUsage,
  QuotaConfig,
  Unavailability,
  UsageOwner,
} from "./inputModel.ts";
export type {
  InverseOffer,
  InverseOfferAnswer,
  InverseOfferStatus,
} from "./inverseOffers.ts";
export {
  DEFAULT_RESOURCE_MAPPING,
  kubeToMesosScalars,
  parseKubeQuantity,
  type ResourceMapping,
} from "./kubeResources.ts";
export {
  DRAIN_ANNOTATION,
  maxGracePeriodSeconds,
  type NodeDrain,
  nodeDrain,
  nodeDrainText,
} from "./nodeDrain.ts";
export {
  MAINTENANCE_ANNOTATION,
  type NodeMaintenance,
  nodeMaintenance,
  nodeMaintenanceText,
} from "./nodeMaintenance.ts";
export {
  AGENT_GONE_ANNOTATION,
  agentIdForNode,
  DEFAULT_PORT_RANGES,
  DEFAULT_RESERVATIONS_ANNOTATION,
  isMarkedGone,
  type NodeLike,
  type NodeToAgentOptions,
  nodeToAgent,
} from "./nodeToAgent.ts";
export { type Offer, offerResourcesFor, type Rescind, type RescindReason } from "./offers.ts";
export {
  type ContainerLike,
  isTerminalPod,
  type PodLike,
  podKey,
  podRequests,
  podUsage,
} from "./podUsage.ts";
export {
  formatQuantities,
  parseQuantities,
  parseQuantityAlternatives,
  type Quantities,
  quantitiesOf,
  quantitiesToRecord,
} from "./quantities.ts";
export {
  type Range,
  type Reservation,
  type ResourceEntry,
  type ResourceJSON,
  Resources,
  reservationRole,
  type ValueType,
} from "./resources.ts";
export {
  describeResources,
  formatResources,
  fromPreRefinementJSON,
  fromSummary,
  type PreRefinementResourceJSON,
  parseResources,
  ResourceParseError,
  type ResourceSummary,
  toPreRefinementJSON,
  toSummary,
} from "./resourceText.ts";
export { isValidRole, roleAncestors, roleNameError, topLevelRole } from "./roles.ts";
