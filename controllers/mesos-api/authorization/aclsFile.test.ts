import { mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { aclsFileAuthorizer, isAuthorized } from "./aclsFile.ts";

const onlyAlice = (role: string) =>
  JSON.stringify({
    permissive: false,
    register_frameworks: [{ principals: { values: ["alice"] }, roles: { values: [role] } }],
  });

describe("aclsFileAuthorizer", () => {
  it("follows a file swapped in place, and keeps the last good ACLs when an update is broken", async () => {
    const dir = mkdtempSync(join(tmpdir(), "acls-"));
    const path = join(dir, "acls.json");
    writeFileSync(path, onlyAlice("dev"));
    const errors: Error[] = [];
    const authorizer = await aclsFileAuthorizer({ path, onError: (e) => errors.push(e) });
    const asks = (role: string) =>
      isAuthorized(authorizer, { acl: "register_frameworks", principal: "alice", roles: [role] });
    expect(await asks("dev")).toBe(true);
    expect(await asks("prod")).toBe(false);

    // As the kubelet does: a new file renamed over the old one.
    const next = join(dir, "next.json");
    writeFileSync(next, onlyAlice("prod"));
    renameSync(next, path);
    expect(await asks("dev")).toBe(false);
    expect(await asks("prod")).toBe(true);

    writeFileSync(next, '{"register_frameworks": "oops"}');
    renameSync(next, path);
    expect(await asks("prod")).toBe(true);
    expect(await asks("prod")).toBe(true);
    // Reported once, not on every request.
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/register_frameworks/)]);
  });

  it("fails at start-up on a missing or invalid file", async () => {
    await expect(aclsFileAuthorizer({ path: "/nonexistent/acls.json" })).rejects.toThrow(/ENOENT/);
    const dir = mkdtempSync(join(tmpdir(), "acls-"));
    const path = join(dir, "acls.json");
    writeFileSync(path, '{"permissive": false, "teardown_framework": []}');
    await expect(aclsFileAuthorizer({ path })).rejects.toThrow(/teardown_framework/);
  });
});
