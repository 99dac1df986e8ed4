import { describe, expect, it } from "vitest";
import { FRAMEWORK_ID_ANNOTATION } from "../../api/index.ts";
import { frameworkObject } from "../../task/testObjects.ts";
import { frameworksInState } from "./stateFrameworks.ts";

const withId = (name: string, id: string, metadata: Record<string, unknown> = {}) =>
  frameworkObject(name, {}, undefined, { annotations: { [FRAMEWORK_ID_ANNOTATION]: id }, ...metadata });

describe("frameworksInState", () => {
  it("lists a framework admitted at SUBSCRIBE whose object is not written yet", () => {
    const written = withId("a", "id-a");
    const admitted = withId("b", "id-b", { uid: undefined });
    expect(frameworksInState([written], [admitted]).map((f) => f.metadata.name)).toEqual(["a", "b"]);
  });

  it("lists it once when its object has arrived (same key, or same FrameworkID)", () => {
    const written = withId("a", "id-a");
    expect(frameworksInState([written], [withId("a", "id-a", { uid: undefined })])).toEqual([written]);
    expect(frameworksInState([written], [withId("other-name", "id-a")])).toEqual([written]);
  });

  it("leaves out an admitted framework torn down before its object arrived", () => {
    const admitted = withId("b", "id-b", { uid: undefined });
    expect(frameworksInState([], [admitted], new Set(["id-b"]))).toEqual([]);
    expect(frameworksInState([], [admitted], new Set(["id-other"]))).toEqual([admitted]);
  });

  it("is the written frameworks when nothing is admitted", () => {
    const written = [withId("a", "id-a"), withId("b", "id-b")];
    expect(frameworksInState(written, [])).toEqual(written);
  });
});
