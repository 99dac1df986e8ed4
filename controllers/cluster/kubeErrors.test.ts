import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { isAlreadyExists, isConflict, isGone, isNotFound, KubeError, toKubeError } from "./kubeErrors.ts";

const status = (code: number, reason: string, message: string) =>
  JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", code, reason, message });

describe("toKubeError", () => {
  it("reads code, reason and message from an ApiException's raw body", () => {
    const e = toKubeError(
      new ApiException(409, "Conflict", status(409, "AlreadyExists", 'pods "p" already exists'), {}),
      "create pod ns/p",
    );
    expect(e).toBeInstanceOf(KubeError);
    expect([e.code, e.reason, e.message]).toEqual([
      409,
      "AlreadyExists",
      'create pod ns/p: pods "p" already exists',
    ]);
    expect(isAlreadyExists(e)).toBe(true);
    expect(isConflict(e)).toBe(false);
  });

  it("tells a write conflict from an existing object", () => {
    const e = toKubeError(
      new ApiException(409, "", status(409, "Conflict", "the object has been modified"), {}),
      "patch",
    );
    expect(isConflict(e)).toBe(true);
    expect(isAlreadyExists(e)).toBe(false);
  });

  it("falls back to the HTTP status when the body is not a Status", () => {
    const e = toKubeError(new ApiException(404, "", "<html>gateway</html>", {}), "get");
    expect([e.code, e.reason, e.message]).toEqual([404, "NotFound", "get: <html>gateway</html>"]);
    expect(isNotFound(e)).toBe(true);
    const empty = toKubeError(new ApiException(401, "Unauthorized", undefined, {}), "list");
    expect([empty.code, empty.reason]).toEqual([401, "Unauthorized"]);
  });

  it("marks errors without a response", () => {
    const net = toKubeError(new Error("connect ECONNREFUSED"), "watch");
    expect([net.code, net.reason]).toEqual([0, "NetworkError"]);
    const abort = toKubeError(Object.assign(new Error("x"), { name: "AbortError" }), "watch");
    expect(abort.reason).toBe("Aborted");
  });

  it("recognises 410 by code or by reason", () => {
    expect(isGone(new KubeError(410, "Gone", "x"))).toBe(true);
    expect(isGone(new KubeError(200, "Expired", "x"))).toBe(true);
    expect(isGone(new KubeError(500, "InternalError", "x"))).toBe(false);
  });
});
