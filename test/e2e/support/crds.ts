import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { inject } from "vitest";
import { KINDS } from "../../../controllers/api/index.ts";
import { repoRoot, tool } from "./paths.ts";

/**
 * Installs our CRDs (idempotent) and waits until they are served. Test files that use our kinds
 * call it in beforeAll: e2e files run in no fixed order, so none may rely on another to install them.
 */
export function ensureCrds(): void {
  const kubectl = (args: string[]) =>
    execFileSync(tool("kubectl"), ["--kubeconfig", inject("kubeconfig"), ...args], {
      stdio: ["ignore", "ignore", "pipe"],
    });
  kubectl(["apply", "--server-side", "--force-conflicts", "-f", join(repoRoot, "crds")]);
  kubectl([
    "wait",
    "--for=condition=Established",
    "--timeout=60s",
    ...KINDS.map((k) => `crd/${k.plural}.mesos.operator.dev`),
  ]);
}
