// A Kubernetes Event (events.k8s.io/v1 fields) for one lifecycle transition of one of our objects.
// The reconcilers decide which events a change deserves; the cluster runtime records them.
// (It lives with the tasks, which make most of them; frameworks, offers and roles use it too.)
import type { Condition } from "../api/index.ts";

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string | undefined;
  name: string;
  uid?: string | undefined;
}

export interface TransitionEvent {
  type: "Normal" | "Warning";
  /** CamelCase, e.g. TaskRunning. */
  reason: string;
  /** What the reconciler did (events.k8s.io action), e.g. Launch, Kill, Rescind. */
  action: string;
  note: string;
  regarding: ObjectRef;
}

/** An object's reference, from its apiVersion, kind and metadata. */
export function refOf(obj: {
  apiVersion: string;
  kind: string;
  metadata: { namespace?: string | undefined; name?: string | undefined; uid?: string | undefined };
}): ObjectRef {
  const ref: ObjectRef = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name ?? "" };
  if (obj.metadata.namespace !== undefined) ref.namespace = obj.metadata.namespace;
  if (obj.metadata.uid !== undefined) ref.uid = obj.metadata.uid;
  return ref;
}

/**
 * An event when a condition appears or changes status or reason (a new message alone is no
 * transition). False conditions are Warnings.
 */
export function conditionChangeEvent(
  regarding: ObjectRef,
  before: Condition | undefined,
  after: Pick<Condition, "type" | "status" | "reason" | "message">,
  action: string,
): TransitionEvent | undefined {
  if (before !== undefined && before.status === after.status && before.reason === after.reason)
    return undefined;
  return {
    type: after.status === "False" ? "Warning" : "Normal",
    reason: after.reason,
    action,
    note: `${after.type}=${after.status}: ${after.message}`,
    regarding,
  };
}
