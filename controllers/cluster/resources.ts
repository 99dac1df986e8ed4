// The resources the operator caches: where to list and watch each one, how to validate what comes
// back, and the indexes reconcilers look things up by.
import type { z } from "zod";
import { GROUP, VERSION } from "../api/index.ts";
import { type Node, NodeSchema } from "./nodeSchema.ts";
import { type Pod, PodSchema } from "./podSchema.ts";
import type { IndexFunc, ObjectWithMeta } from "./store.ts";

export interface ResourceDescriptor<T extends ObjectWithMeta> {
  /** Plural name, for logs and metrics ("pods"). */
  name: string;
  /** Collection path across all namespaces. */
  path: string;
  apiVersion: string;
  kind: string;
  namespaced: boolean;
  /** Raw JSON → T. Lists leave apiVersion/kind off built-in items; decode puts them back. */
  decode(raw: unknown): T;
  indexers: Readonly<Record<string, IndexFunc<T>>>;
}

/** Pods by `spec.nodeName` (unbound pods are not indexed). */
export const POD_NODE_INDEX = "nodeName";
/** Pods by the uid of their controller owner (for us: the Task). */
export const POD_OWNER_INDEX = "controllerUid";

/** Adds apiVersion and kind when absent, so every cached object names its type. */
function withTypeMeta(raw: unknown, apiVersion: string, kind: string): unknown {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return raw;
  return { apiVersion, kind, ...raw };
}

export function nodesResource(): ResourceDescriptor<Node> {
  return {
    name: "nodes",
    path: "/api/v1/nodes",
    apiVersion: "v1",
    kind: "Node",
    namespaced: false,
    decode: (raw) => NodeSchema.parse(withTypeMeta(raw, "v1", "Node")),
    indexers: {},
  };
}

export function podsResource(): ResourceDescriptor<Pod> {
  return {
    name: "pods",
    path: "/api/v1/pods",
    apiVersion: "v1",
    kind: "Pod",
    namespaced: true,
    decode: (raw) => PodSchema.parse(withTypeMeta(raw, "v1", "Pod")),
    indexers: {
      [POD_NODE_INDEX]: (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []),
      [POD_OWNER_INDEX]: (p) => {
        const owner = p.metadata.ownerReferences?.find((o) => o.controller);
        return owner ? [owner.uid] : [];
      },
    },
  };
}

/** The facts of one of our kinds (controllers/api defineKind output fits). */
export interface CustomKind<S extends z.ZodType> {
  kind: string;
  plural: string;
  scope: "Namespaced" | "Cluster";
  schema: S;
}

export function customResource<S extends z.ZodType<ObjectWithMeta>>(
  def: CustomKind<S>,
): ResourceDescriptor<z.output<S>> {
  const apiVersion = `${GROUP}/${VERSION}`;
  return {
    name: def.plural,
    path: `/apis/${GROUP}/${VERSION}/${def.plural}`,
    apiVersion,
    kind: def.kind,
    namespaced: def.scope === "Namespaced",
    decode: (raw) => def.schema.parse(withTypeMeta(raw, apiVersion, def.kind)),
    indexers: {},
  };
}
