import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./support/paths.ts";

const isRoot = process.getuid?.() === 0;

describe("local cluster without a network", () => {
  // unshare -n needs root; CI and our machines run as root.
  it.runIf(isRoot)("starts from the warm tool cache with the package proxies unreachable", () => {
    const out = execFileSync(join(repoRoot, "hack/check-offline.sh"), { encoding: "utf8", timeout: 240_000 });
    expect(out).toMatch(/Server Version: v1\.\d+\.\d+/);
    expect(out).toMatch(/nodes:\s+2 \(2 Ready\)/);
    expect(out).toContain("offline check: OK");
  });
});
