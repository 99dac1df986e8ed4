// Adding and removing a finalizer without losing someone else's.
//
// `metadata.finalizers` is a list, and a merge patch replaces lists whole: a patch computed from a
// stale copy would drop a finalizer another controller added meanwhile (the lost update that
// @dot-i/k8s-operator has, ts-ecosystem.md §2.1). So every patch carries the resourceVersion it
// was computed from; on 409 Conflict we read the object again and recompute, a few times.
import type { ObjectRef, PreconditionOptions } from "./customObjects.ts";
import { isConflict, isNotFound } from "./kubeErrors.ts";

interface WithFinalizers {
  metadata: {
    name?: string | undefined;
    namespace?: string | undefined;
    resourceVersion?: string | undefined;
    finalizers?: string[] | undefined;
    deletionTimestamp?: string | undefined;
  };
}

/** What finalizer edits need from a client (CustomResourceClient and PodWriter fit). */
export interface FinalizerTarget<T extends WithFinalizers> {
  get(ref: ObjectRef): Promise<T | undefined>;
  mergePatch(
    ref: ObjectRef,
    patch: { metadata: { finalizers: string[] } },
    opts: PreconditionOptions,
  ): Promise<T>;
}

const ATTEMPTS = 4;

/** Ensures `finalizer` is on the object; returns the object as it is afterwards. */
export async function addFinalizer<T extends WithFinalizers>(
  target: FinalizerTarget<T>,
  obj: T,
  finalizer: string,
): Promise<T> {
  const result = await editFinalizers(target, obj, (list) =>
    list.includes(finalizer) ? undefined : [...list, finalizer],
  );
  if (!result) throw new Error(`cannot add finalizer ${finalizer}: ${refOf(obj).name} is gone`);
  return result;
}

/** Ensures `finalizer` is not on the object; undefined when the object is gone (deleted). */
export async function removeFinalizer<T extends WithFinalizers>(
  target: FinalizerTarget<T>,
  obj: T,
  finalizer: string,
): Promise<T | undefined> {
  return editFinalizers(target, obj, (list) =>
    list.includes(finalizer) ? list.filter((f) => f !== finalizer) : undefined,
  );
}

/** `change` returns the new list, or undefined when nothing needs to change. */
async function editFinalizers<T extends WithFinalizers>(
  target: FinalizerTarget<T>,
  obj: T,
  change: (current: string[]) => string[] | undefined,
): Promise<T | undefined> {
  const ref = refOf(obj);
  let current: T | undefined = obj;
  for (let attempt = 1; ; attempt++) {
    if (!current) return undefined;
    const next = change(current.metadata.finalizers ?? []);
    if (!next) return current;
    try {
      return await target.mergePatch(
        ref,
        { metadata: { finalizers: next } },
        { resourceVersion: current.metadata.resourceVersion },
      );
    } catch (err) {
      if (isNotFound(err)) return undefined;
      if (!isConflict(err) || attempt >= ATTEMPTS) throw err;
      current = await target.get(ref);
    }
  }
}

function refOf(obj: WithFinalizers): ObjectRef {
  return { namespace: obj.metadata.namespace, name: obj.metadata.name ?? "" };
}
