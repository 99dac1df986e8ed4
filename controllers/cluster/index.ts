// The cluster side of the operator, as reconcilers use it: caches, writes, events, the controller
// interface. Everything that talks to the API server is in this folder.
export type { Cluster, Informers, Writers } from "./cluster.ts";
export { FIELD_MANAGER, REPORTING_CONTROLLER } from "./cluster.ts";
export type { Controller, ReconcileContext, ReconcileResult, Watched } from "./controller.ts";
export { requeueSoonWhen, watch } from "./controller.ts";
export type { LeaderRunnable } from "./controllerManager.ts";
export type {
  DeleteOptions,
  MergePatch,
  ObjectRef,
  PreconditionOptions,
  WritableMeta,
} from "./customObjects.ts";
export { CustomResourceClient } from "./customObjects.ts";
export type { EventSpec, InvolvedObject } from "./events.ts";
export { EventRecorder } from "./events.ts";
export { addFinalizer, removeFinalizer } from "./finalizers.ts";
export type { InformerHandlers } from "./informer.ts";
export { Informer } from "./informer.ts";
export { isAlreadyExists, isConflict, isForbidden, isGone, isNotFound, KubeError } from "./kubeErrors.ts";
export { type Node, NodeSchema } from "./nodeSchema.ts";
export { type Pod, PodSchema } from "./podSchema.ts";
export { type BindOutcome, PodWriter } from "./pods.ts";
export { POD_NODE_INDEX, POD_OWNER_INDEX } from "./resources.ts";
export { keyOf, NAMESPACE_INDEX, objectKey, type ReadonlyStore, splitKey } from "./store.ts";
