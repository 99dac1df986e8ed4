// Typed writes (and the occasional fresh read) for our custom resources: server-side apply and
// JSON merge-patch of spec and of the /status subresource, with an optional resourceVersion
// precondition; create; delete with preconditions. Answers are validated with the kind's zod
// schema, errors are KubeErrors.
//
// Content types are set per call: client-node's patch methods default to JSON-Patch, which an
// object body is not (ts-ecosystem.md §1.3).
import { type CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { z } from "zod";
import { GROUP, VERSION } from "../api/index.ts";
import { isNotFound, KubeError, toKubeError } from "./kubeErrors.ts";
import type { CustomKind } from "./resources.ts";
import type { ObjectWithMeta } from "./store.ts";

/** Namespace (omit for cluster-scoped kinds) and name. */
export interface ObjectRef {
  namespace?: string | undefined;
  name: string;
}

/** A JSON merge patch of T: any subset of fields; null deletes a field. Lists replace whole. */
export type MergePatch<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: MergePatch<T[K]> | null }
    : T;

/** Metadata a writer may set; the API server owns the rest. */
export interface WritableMeta {
  name: string;
  namespace?: string | undefined;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
  ownerReferences?:
    | {
        apiVersion: string;
        kind: string;
        name: string;
        uid: string;
        controller?: boolean;
        blockOwnerDeletion?: boolean;
      }[]
    | undefined;
  finalizers?: string[] | undefined;
}

// Write bodies use the schema's *input* side: defaulted fields may be left out (the API server
// applies the same defaults); answers are parsed into the output side.
type SpecOf<T> = T extends { spec: infer S } ? S : never;
type StatusOf<T> = T extends { status?: infer S } ? NonNullable<S> : never;

export interface PreconditionOptions {
  /** Fail with 409 Conflict unless the object is still at this version (optimistic lock). */
  resourceVersion?: string | undefined;
}

export interface DeleteOptions {
  /** Fail with 409 unless the object still has this uid (not a newer object of the same name). */
  uid?: string | undefined;
  resourceVersion?: string | undefined;
  gracePeriodSeconds?: number | undefined;
  propagationPolicy?: "Foreground" | "Background" | "Orphan" | undefined;
}

const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
const serverSideApply = setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply);

export class CustomResourceClient<S extends z.ZodType<ObjectWithMeta>> {
  private readonly apiVersion = `${GROUP}/${VERSION}`;
  private readonly namespaced: boolean;

  constructor(
    private readonly custom: CustomObjectsApi,
    private readonly kind: CustomKind<S>,
    /** SSA field manager, e.g. "mesos-operator". */
    private readonly fieldManager: string,
  ) {
    this.namespaced = kind.scope === "Namespaced";
  }

  /** A fresh read from the API server (reconcilers normally read the informer cache). */
  async get(ref: ObjectRef): Promise<z.output<S> | undefined> {
    try {
      const raw: unknown = this.namespaced
        ? await this.custom.getNamespacedCustomObject({ ...this.path(ref), namespace: this.ns(ref) })
        : await this.custom.getClusterCustomObject(this.path(ref));
      return this.decode(raw, "get", ref);
    } catch (err) {
      const e = toKubeError(err, this.what("get", ref));
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async create(obj: { metadata: WritableMeta; spec: SpecOf<z.input<S>> }): Promise<z.output<S>> {
    const ref = obj.metadata;
    const body = { apiVersion: this.apiVersion, kind: this.kind.kind, ...obj };
    return this.call("create", ref, () =>
      this.namespaced
        ? this.custom.createNamespacedCustomObject({
            ...this.base(),
            namespace: this.ns(ref),
            body,
            fieldManager: this.fieldManager,
          })
        : this.custom.createClusterCustomObject({ ...this.base(), body, fieldManager: this.fieldManager }),
    );
  }

  /**
   * Server-side apply of metadata and spec: the fields sent become ours; fields we applied before
   * and leave out are removed. `force` (default true) takes fields over from other managers.
   */
  async apply(
    obj: { metadata: WritableMeta; spec: SpecOf<z.input<S>> },
    opts: PreconditionOptions & { force?: boolean } = {},
  ): Promise<z.output<S>> {
    const ref = obj.metadata;
    const body = {
      apiVersion: this.apiVersion,
      kind: this.kind.kind,
      ...obj,
      metadata: { ...obj.metadata, ...rv(opts) },
    };
    return this.patch("apply", ref, "main", body, serverSideApply, opts.force ?? true);
  }

  /** Server-side apply of the /status subresource (what we send is the status we own). */
  async applyStatus(
    ref: ObjectRef,
    status: StatusOf<z.input<S>>,
    opts: PreconditionOptions & { force?: boolean } = {},
  ): Promise<z.output<S>> {
    const body = {
      apiVersion: this.apiVersion,
      kind: this.kind.kind,
      metadata: { name: ref.name, ...(this.namespaced ? { namespace: this.ns(ref) } : {}), ...rv(opts) },
      status,
    };
    return this.patch("apply status", ref, "status", body, serverSideApply, opts.force ?? true);
  }

  /** JSON merge patch of the object (metadata and spec; status changes are ignored by the server). */
  async mergePatch(
    ref: ObjectRef,
    patch: MergePatch<z.input<S>>,
    opts: PreconditionOptions = {},
  ): Promise<z.output<S>> {
    return this.patch("patch", ref, "main", withResourceVersion(patch, opts), mergePatch);
  }

  /** JSON merge patch of the /status subresource: `status` is merged into the current status. */
  async mergePatchStatus(
    ref: ObjectRef,
    status: MergePatch<StatusOf<z.input<S>>>,
    opts: PreconditionOptions = {},
  ): Promise<z.output<S>> {
    return this.patch("patch status", ref, "status", withResourceVersion({ status }, opts), mergePatch);
  }

  /** Deletes; false when it was already gone. A failed precondition is a 409 Conflict. */
  async delete(ref: ObjectRef, opts: DeleteOptions = {}): Promise<boolean> {
    const body = {
      preconditions:
        opts.uid || opts.resourceVersion
          ? { uid: opts.uid, resourceVersion: opts.resourceVersion }
          : undefined,
      gracePeriodSeconds: opts.gracePeriodSeconds,
      propagationPolicy: opts.propagationPolicy,
    };
    try {
      if (this.namespaced) {
        await this.custom.deleteNamespacedCustomObject({ ...this.path(ref), namespace: this.ns(ref), body });
      } else {
        await this.custom.deleteClusterCustomObject({ ...this.path(ref), body });
      }
      return true;
    } catch (err) {
      const e = toKubeError(err, this.what("delete", ref));
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  // -------------------------------------------------------------------------------------------

  /** PATCH of the object or its /status, namespaced or cluster-scoped, with a content type. */
  private patch(
    verb: string,
    ref: ObjectRef,
    target: "main" | "status",
    body: object,
    contentType: typeof mergePatch,
    force?: boolean,
  ): Promise<z.output<S>> {
    const params = { ...this.path(ref), body, fieldManager: this.fieldManager, force };
    const c = this.custom;
    return this.call(verb, ref, () => {
      if (this.namespaced) {
        const p = { ...params, namespace: this.ns(ref) };
        return target === "main"
          ? c.patchNamespacedCustomObject(p, contentType)
          : c.patchNamespacedCustomObjectStatus(p, contentType);
      }
      return target === "main"
        ? c.patchClusterCustomObject(params, contentType)
        : c.patchClusterCustomObjectStatus(params, contentType);
    });
  }

  private base() {
    return { group: GROUP, version: VERSION, plural: this.kind.plural };
  }

  private path(ref: ObjectRef) {
    return { ...this.base(), name: ref.name };
  }

  private ns(ref: ObjectRef): string {
    if (!ref.namespace)
      throw new KubeError(400, "BadRequest", `${this.kind.kind} ${ref.name}: namespace required`);
    return ref.namespace;
  }

  private what(verb: string, ref: ObjectRef): string {
    return `${verb} ${this.kind.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;
  }

  private async call(verb: string, ref: ObjectRef, fn: () => Promise<unknown>): Promise<z.output<S>> {
    let raw: unknown;
    try {
      raw = await fn();
    } catch (err) {
      throw toKubeError(err, this.what(verb, ref));
    }
    return this.decode(raw, verb, ref);
  }

  private decode(raw: unknown, verb: string, ref: ObjectRef): z.output<S> {
    const parsed = this.kind.schema.safeParse(raw);
    if (!parsed.success) {
      throw new KubeError(
        0,
        "DecodeError",
        `${this.what(verb, ref)}: answer does not match the schema`,
        undefined,
        {
          cause: parsed.error,
        },
      );
    }
    return parsed.data;
  }
}

function rv(opts: PreconditionOptions): { resourceVersion?: string } {
  return opts.resourceVersion ? { resourceVersion: opts.resourceVersion } : {};
}

/** Adds metadata.resourceVersion to a merge patch: the server then refuses it with 409 if stale. */
export function withResourceVersion(patch: unknown, opts: PreconditionOptions): object {
  const base = typeof patch === "object" && patch !== null ? patch : {};
  if (!opts.resourceVersion) return base;
  const meta = "metadata" in base && typeof base.metadata === "object" && base.metadata ? base.metadata : {};
  return { ...base, metadata: { ...meta, resourceVersion: opts.resourceVersion } };
}
