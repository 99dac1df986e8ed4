import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Where hack/cluster writes the kubeconfig of the local cluster. */
export const localKubeconfig = join(repoRoot, ".cluster", "kubeconfig");

/** The directory of tool binaries built by hack/tools/build.sh (kubectl, helm, kwokctl, ...). */
export function toolBin(): string {
  const cache = process.env.MESOS_OPERATOR_CACHE ?? join(homedir(), ".cache", "mesos-operator");
  const dir = join(cache, "bin", "current");
  if (existsSync(join(dir, "kubectl"))) return dir;
  // Not built yet: build (prints the directory).
  return execFileSync(join(repoRoot, "hack/tools/build.sh"), {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
}

/** Path of one built tool, e.g. tool("kubectl"). */
export function tool(name: "kubectl" | "helm" | "kwokctl" | "kind"): string {
  return join(toolBin(), name);
}
