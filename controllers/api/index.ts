// The API of mesos-operator: Framework, Offer, Task and Role (group mesos.operator.dev, v1alpha1).
// zod schemas are the one source of truth; types come from z.infer, CRDs from crd.ts.
import { FrameworkKind } from "./framework.ts";
import { OfferKind } from "./offer.ts";
import { RoleKind } from "./role.ts";
import { TaskKind } from "./task.ts";

export * from "./crd.ts";
export * from "./framework.ts";
export * from "./k8s.ts";
export * from "./mesos.ts";
export * from "./offer.ts";
export * from "./role.ts";
export * from "./task.ts";

/** All kinds, in the order of docs/api.md. */
export const KINDS = [FrameworkKind, OfferKind, TaskKind, RoleKind] as const;
