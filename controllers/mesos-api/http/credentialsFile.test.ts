import { mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { credentialsFileAuthentication, parseCredentials } from "./credentialsFile.ts";

describe("parseCredentials", () => {
  it("reads Mesos's JSON format", () => {
    const secrets = parseCredentials('{"credentials": [{"principal": "marathon", "secret": "s3cret"}]}');
    expect([...secrets]).toEqual([["marathon", "s3cret"]]);
  });

  it("reads the legacy 'principal secret' lines, skipping blank ones", () => {
    expect([...parseCredentials("a one\n\n  b   two  \n")]).toEqual([
      ["a", "one"],
      ["b", "two"],
    ]);
  });

  it("refuses malformed input with a clear message", () => {
    expect(() => parseCredentials('{"credentials": [{"secret": "x"}]}')).toThrow(/expected \{"credentials"/);
    expect(() => parseCredentials("{not json")).toThrow(/invalid JSON/);
    expect(() => parseCredentials("a b c")).toThrow(/line 1: expected 'principal secret'/);
  });
});

describe("credentialsFileAuthentication", () => {
  it("accepts the right secret only, and follows a rotated file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "credentials-"));
    const path = join(dir, "credentials.json");
    writeFileSync(path, '{"credentials": [{"principal": "p1", "secret": "old"}]}');
    const errors: Error[] = [];
    const auth = await credentialsFileAuthentication({
      path,
      frameworks: true,
      operators: false,
      onError: (e) => errors.push(e),
    });
    expect(auth.frameworks).toBe(true);
    expect(auth.operators).toBe(false);
    expect(await auth.authenticate({ username: "p1", password: "old" })).toBe("p1");
    expect(await auth.authenticate({ username: "p1", password: "wrong" })).toBeUndefined();
    expect(await auth.authenticate({ username: "nobody", password: "old" })).toBeUndefined();

    // As the kubelet does: a new file swapped in atomically.
    const next = join(dir, "next.json");
    writeFileSync(
      next,
      '{"credentials": [{"principal": "p1", "secret": "new"}, {"principal": "p2", "secret": "x"}]}',
    );
    renameSync(next, path);
    expect(await auth.authenticate({ username: "p1", password: "old" })).toBeUndefined();
    expect(await auth.authenticate({ username: "p1", password: "new" })).toBe("p1");
    expect(await auth.authenticate({ username: "p2", password: "x" })).toBe("p2");

    // A broken update keeps the last good credentials and is reported.
    writeFileSync(next, "{broken");
    renameSync(next, path);
    expect(await auth.authenticate({ username: "p2", password: "x" })).toBe("p2");
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/invalid JSON/)]);
  });

  it("fails at start-up on a missing file", async () => {
    await expect(
      credentialsFileAuthentication({ path: "/nonexistent/credentials", frameworks: true, operators: true }),
    ).rejects.toThrow(/ENOENT/);
  });
});
