import { execFileSync } from "node:child_process";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { localKubeconfig, repoRoot, tool } from "./support/paths.ts";

declare module "vitest" {
  export interface ProvidedContext {
    kubeconfig: string;
  }
}

function reachable(kubeconfig: string): boolean {
  try {
    execFileSync(
      tool("kubectl"),
      ["--kubeconfig", kubeconfig, "--request-timeout=5s", "get", "--raw", "/readyz"],
      {
        stdio: "ignore",
      },
    );
    return true;
  } catch {
    return false;
  }
}

/**
 * Gives the e2e tests a live cluster:
 * - E2E_CLUSTER=existing: the cluster $KUBECONFIG points at (must be reachable);
 * - otherwise the local cluster in .cluster/, started here when it is not running and stopped
 *   after the run unless it was already running or E2E_KEEP_CLUSTER=1.
 */
export default function setup(project: TestProject): (() => void) | undefined {
  if (process.env.E2E_CLUSTER === "existing") {
    const kc = process.env.KUBECONFIG;
    if (!kc || !reachable(kc)) {
      throw new Error("E2E_CLUSTER=existing but KUBECONFIG is unset or its cluster is unreachable");
    }
    project.provide("kubeconfig", kc);
    return undefined;
  }
  const wasRunning = reachable(localKubeconfig);
  if (!wasRunning) {
    const nodes = process.env.E2E_NODES ?? "4";
    execFileSync(join(repoRoot, "hack/cluster"), ["up", "--nodes", nodes], {
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  process.env.KUBECONFIG = localKubeconfig;
  project.provide("kubeconfig", localKubeconfig);
  return () => {
    if (!wasRunning && process.env.E2E_KEEP_CLUSTER !== "1") {
      execFileSync(join(repoRoot, "hack/cluster"), ["down"], { stdio: ["ignore", "ignore", "inherit"] });
    }
  };
}
