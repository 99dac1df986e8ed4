import { describe, expect, it } from "vitest";
import { frameworkObject, taskObject } from "../task/testObjects.ts";
import { adoptionOwnerReferences, frameworkOwnerReference } from "./frameworkOwnership.ts";

const fw = frameworkObject("fw");
const ours = {
  apiVersion: "mesos.operator.dev/v1alpha1",
  kind: "Framework",
  name: "fw",
  uid: "uid-fw",
  controller: true,
  blockOwnerDeletion: true,
};

describe("frameworkOwnerReference", () => {
  it("names the Framework by uid, as controller, blocking its foreground deletion", () => {
    expect(frameworkOwnerReference(fw)).toEqual(ours);
    expect(frameworkOwnerReference(fw, false).controller).toBe(false);
  });
});

describe("adoptionOwnerReferences", () => {
  it("a Task without owners (applied with kubectl) is adopted by its Framework", () => {
    expect(adoptionOwnerReferences(taskObject("t"), fw)).toEqual([ours]);
  });

  it("a Task already owned by a Framework is left alone, even a stale one (it goes with that one)", () => {
    const owned = taskObject("t", {}, undefined, { ownerReferences: [ours] });
    expect(adoptionOwnerReferences(owned, fw)).toBeUndefined();
    const stale = taskObject("t", {}, undefined, { ownerReferences: [{ ...ours, uid: "old" }] });
    expect(adoptionOwnerReferences(stale, fw)).toBeUndefined();
  });

  it("keeps other owners; with another controller ours is not marked controller", () => {
    const other = { apiVersion: "apps/v1", kind: "Deployment", name: "d", uid: "u-d", controller: true };
    const t = taskObject("t", {}, undefined, { ownerReferences: [other] });
    expect(adoptionOwnerReferences(t, fw)).toEqual([other, { ...ours, controller: false }]);
    const plain = { apiVersion: "v1", kind: "ConfigMap", name: "c", uid: "u-c" };
    expect(adoptionOwnerReferences(taskObject("t", {}, undefined, { ownerReferences: [plain] }), fw)).toEqual(
      [plain, ours],
    );
  });

  it("does not adopt for a Framework being deleted or not written yet (no uid)", () => {
    const deleting = frameworkObject("fw", {}, undefined, { deletionTimestamp: "2026-01-01T00:00:00Z" });
    expect(adoptionOwnerReferences(taskObject("t"), deleting)).toBeUndefined();
    const unwritten = frameworkObject("fw", {}, undefined, { uid: undefined });
    expect(adoptionOwnerReferences(taskObject("t"), unwritten)).toBeUndefined();
  });
});
