import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCrds } from "./support/crds.ts";
import { addFakeNode, removeNode } from "./support/fakeNodes.ts";
import { kubeClients } from "./support/kube.ts";
import {
  deleteFrameworks,
  type OperatorProcess,
  startOperatorProcess,
  waitForTaskState,
} from "./support/operator.ts";
import { repoRoot, tool } from "./support/paths.ts";

// docs/migration.md's worked example: the Marathon app of examples/migration/marathon-app.json,
// translated into examples/migration/marathon-app.yaml, applied with kubectl as the guide says,
// runs its three instances on three different nodes (constraint hostname UNIQUE).
const c = kubeClients();
const run = Date.now().toString(36);
const ns = `migration-${run}`;
const agentLabel = `e2e.mesos.operator.dev/agents=${ns}`;
const nodes = [0, 1, 2, 3].map((i) => `migration-${run}-${i}`);
const manifest = join(repoRoot, "examples", "migration", "marathon-app.yaml");
let operator: OperatorProcess;

const kubectl = (args: string[]): string => execFileSync(tool("kubectl"), args, { encoding: "utf8" });

beforeAll(async () => {
  ensureCrds();
  await c.core.createNamespace({ body: { metadata: { name: ns } } });
  // Four nodes, each with room for two instances: only the constraint keeps them apart.
  for (const n of nodes)
    await addFakeNode(c, n, { cpu: "2", memory: "2Gi", labels: { "e2e.mesos.operator.dev/agents": ns } });
  operator = startOperatorProcess(ns, `migration-${run}`, agentLabel);
});

afterAll(async () => {
  await deleteFrameworks(c, ns);
  await operator?.stop();
  await c.core.deleteNamespace({ name: ns }).catch(() => undefined);
  for (const n of nodes) await removeNode(c, n);
  // The Role is cluster-scoped; the other e2e files do not use "shop".
  execFileSync(tool("kubectl"), ["delete", "mrole", "shop", "--ignore-not-found"], { stdio: "ignore" });
});

describe("the migration guide's Marathon app", () => {
  it("applies with kubectl and runs its three instances on three different nodes", async () => {
    kubectl(["apply", "-n", ns, "-f", manifest]);
    const names = ["shop-api-0", "shop-api-1", "shop-api-2"];
    const running = [];
    for (const name of names)
      running.push(await waitForTaskState(c, ns, name, "TASK_RUNNING", operator, 60_000));
    const placed = running.map((t) => t.status?.agentId);
    expect(new Set(placed).size).toBe(3);
    const pods = await c.core.listNamespacedPod({ namespace: ns });
    expect(new Set(pods.items.map((p) => p.spec?.nodeName)).size).toBe(3);
    for (const p of pods.items) {
      expect(p.spec?.containers[0]?.image).toBe("python:3.12-slim");
      expect(p.spec?.containers[0]?.env).toContainEqual({ name: "LOG_LEVEL", value: "info" });
    }
  });
});
