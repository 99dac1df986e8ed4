// Writes of the pods that run tasks: create-if-absent, bind to a node through the pods/binding
// subresource, delete with a grace period and preconditions, merge-patch metadata. Each is
// idempotent so a reconciler can repeat it after a crash or a conflict without harm.
//
// Answers come back as our `Pod` (wire JSON validated by PodSchema), the same shape the pod
// informer caches: client-node's typed V1Pod has Date objects where the wire has strings.
import { type CoreV1Api, PatchStrategy, setHeaderOptions, type V1Pod } from "@kubernetes/client-node";
import type { DeleteOptions, MergePatch, ObjectRef, PreconditionOptions } from "./customObjects.ts";
import { withResourceVersion } from "./customObjects.ts";
import { isAlreadyExists, isConflict, isNotFound, KubeError, toKubeError } from "./kubeErrors.ts";
import { type Pod, PodSchema } from "./podSchema.ts";

const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

export type BindOutcome = "bound" | "alreadyBound";

export class PodWriter {
  constructor(
    private readonly core: CoreV1Api,
    private readonly fieldManager: string,
  ) {}

  /** A fresh read (reconcilers normally use the pod informer). */
  async get(ref: ObjectRef): Promise<Pod | undefined> {
    try {
      return toPod(await this.core.readNamespacedPod({ name: ref.name, namespace: ns(ref) }));
    } catch (err) {
      const e = toKubeError(err, `get pod ${show(ref)}`);
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /**
   * Creates the pod, or returns the one that already has its name (`created: false`) — e.g. made
   * by this reconciler before a crash. The caller decides whether the existing pod is really its
   * own (compare the owner uid).
   */
  async createIfAbsent(pod: V1Pod): Promise<{ pod: Pod; created: boolean }> {
    const ref = { namespace: pod.metadata?.namespace, name: pod.metadata?.name ?? "" };
    try {
      const created = await this.core.createNamespacedPod({
        namespace: ns(ref),
        body: pod,
        fieldManager: this.fieldManager,
      });
      return { pod: toPod(created), created: true };
    } catch (err) {
      const e = toKubeError(err, `create pod ${show(ref)}`);
      if (!isAlreadyExists(e)) throw e;
      const existing = await this.get(ref);
      // Deleted between our create and our read: let the caller retry from the start.
      if (!existing)
        throw new KubeError(409, "Conflict", `create pod ${show(ref)}: exists but vanished; retry`);
      return { pod: existing, created: false };
    }
  }

  /**
   * Binds the pod to `nodeName` (what a scheduler does). Binding twice to the same node is a
   * success ("alreadyBound", the API server answers 409); a pod bound elsewhere is a Conflict.
   * With `uid`, a newer pod of the same name is not bound.
   */
  async bind(
    ref: ObjectRef,
    nodeName: string,
    opts: { uid?: string | undefined } = {},
  ): Promise<BindOutcome> {
    try {
      await this.core.createNamespacedPodBinding({
        name: ref.name,
        namespace: ns(ref),
        fieldManager: this.fieldManager,
        body: {
          apiVersion: "v1",
          kind: "Binding",
          metadata: { name: ref.name, namespace: ns(ref), ...(opts.uid ? { uid: opts.uid } : {}) },
          target: { apiVersion: "v1", kind: "Node", name: nodeName },
        },
      });
      return "bound";
    } catch (err) {
      const e = toKubeError(err, `bind pod ${show(ref)} to ${nodeName}`);
      if (!isConflict(e) && !isAlreadyExists(e)) throw e;
      const pod = await this.get(ref);
      if (pod?.spec?.nodeName === nodeName && (!opts.uid || pod.metadata.uid === opts.uid))
        return "alreadyBound";
      throw e;
    }
  }

  /**
   * Deletes the pod (false when already gone). `gracePeriodSeconds` is the kill grace period;
   * `uid`/`resourceVersion` preconditions make a stale delete fail with 409 instead of killing a
   * newer pod of the same name.
   */
  async delete(ref: ObjectRef, opts: DeleteOptions = {}): Promise<boolean> {
    try {
      await this.core.deleteNamespacedPod({
        name: ref.name,
        namespace: ns(ref),
        gracePeriodSeconds: opts.gracePeriodSeconds,
        propagationPolicy: opts.propagationPolicy,
        body: {
          gracePeriodSeconds: opts.gracePeriodSeconds,
          preconditions:
            opts.uid || opts.resourceVersion
              ? { uid: opts.uid, resourceVersion: opts.resourceVersion }
              : undefined,
        },
      });
      return true;
    } catch (err) {
      const e = toKubeError(err, `delete pod ${show(ref)}`);
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  /** JSON merge patch (labels, annotations, finalizers), optionally locked to a resourceVersion. */
  async mergePatch(ref: ObjectRef, patch: MergePatch<Pod>, opts: PreconditionOptions = {}): Promise<Pod> {
    try {
      const patched = await this.core.patchNamespacedPod(
        {
          name: ref.name,
          namespace: ns(ref),
          body: withResourceVersion(patch, opts),
          fieldManager: this.fieldManager,
        },
        mergePatch,
      );
      return toPod(patched);
    } catch (err) {
      throw toKubeError(err, `patch pod ${show(ref)}`);
    }
  }
}

/** client-node's V1Pod (Dates, class instances) → wire JSON → our Pod. */
export function toPod(v1: V1Pod): Pod {
  const wire: unknown = JSON.parse(JSON.stringify(v1));
  const parsed = PodSchema.safeParse(
    typeof wire === "object" && wire !== null ? { apiVersion: "v1", kind: "Pod", ...wire } : wire,
  );
  if (!parsed.success) {
    throw new KubeError(
      0,
      "DecodeError",
      `pod ${v1.metadata?.name}: answer does not match the schema`,
      undefined,
      {
        cause: parsed.error,
      },
    );
  }
  return parsed.data;
}

function ns(ref: ObjectRef): string {
  if (!ref.namespace) throw new KubeError(400, "BadRequest", `pod ${ref.name}: namespace required`);
  return ref.namespace;
}

function show(ref: ObjectRef): string {
  return `${ref.namespace ?? ""}/${ref.name}`;
}
