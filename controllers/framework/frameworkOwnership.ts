// Offers and Tasks are owned by their Framework (DESIGN.md): once a torn-down Framework is gone,
// Kubernetes garbage collection deletes them (and, through the Tasks, their pods). Both doors give
// a Task the same owner reference: the Mesos API writes it when it creates the Task, the task
// reconciler adopts a Task applied without one (kubectl), as Kubernetes controllers adopt orphans.
import { API_VERSION, type Framework, GROUP } from "../api/index.ts";

// A type alias (not an interface) so that it fits the schemas' loose owner-reference objects.
export type FrameworkOwnerReference = {
  apiVersion: string;
  kind: "Framework";
  name: string;
  uid: string;
  controller: boolean;
  blockOwnerDeletion: true;
};

/**
 * The owner reference to `framework` (it must have been written: the uid is the API server's).
 * `blockOwnerDeletion` so that a foreground deletion of the Framework waits for its dependents.
 */
export function frameworkOwnerReference(framework: Framework, controller = true): FrameworkOwnerReference {
  return {
    apiVersion: API_VERSION,
    kind: "Framework",
    name: framework.metadata.name ?? "",
    uid: framework.metadata.uid ?? "",
    controller,
    blockOwnerDeletion: true,
  };
}

interface OwnedObject {
  metadata: {
    ownerReferences?:
      | readonly { apiVersion: string; kind: string; uid: string; controller?: boolean }[]
      | undefined;
  };
}

/**
 * The owner references a Task should have so that `framework` owns it, or undefined when nothing
 * is to change: it has an owner reference to a Framework already (a stale one included: that
 * Framework is gone and the Task goes with it), or the Framework is not written yet or is being
 * deleted (Kubernetes controllers do not adopt for an owner that is going, and its teardown has
 * decided which tasks to kill). An existing controller reference (someone else's) is kept, and
 * ours is then not marked controller, since an object has at most one.
 */
export function adoptionOwnerReferences<T extends OwnedObject>(
  task: T,
  framework: Framework,
): (NonNullable<T["metadata"]["ownerReferences"]>[number] | FrameworkOwnerReference)[] | undefined {
  const existing = task.metadata.ownerReferences ?? [];
  if (existing.some((o) => o.kind === "Framework" && o.apiVersion.startsWith(`${GROUP}/`))) return undefined;
  if (!framework.metadata.uid || framework.metadata.deletionTimestamp !== undefined) return undefined;
  const controlled = existing.some((o) => o.controller === true);
  return [...existing, frameworkOwnerReference(framework, !controlled)];
}
