// The operator process run out of the cluster as the chart's ServiceAccount (a token from the
// TokenRequest API, the kind the kubelet mounts into its pod): the basic task flow works with
// exactly the chart's RBAC; and with one verb taken away (pods/binding create), the operator keeps
// running and says which verb on which resource it was refused, on the Task and in its log.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { EventsV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureCrds } from "./support/crds.ts";
import { addFakeNode, removeNode } from "./support/fakeNodes.ts";
import { kubeClients } from "./support/kube.ts";
import {
  customResources,
  deleteFrameworks,
  type OperatorProcess,
  startOperatorProcess,
  waitForTaskState,
} from "./support/operator.ts";
import { repoRoot, tool } from "./support/paths.ts";
import { serviceAccountKubeconfig } from "./support/serviceAccount.ts";
import { waitFor } from "./support/wait.ts";

const c = kubeClients();
const run = Date.now().toString(36);
const ns = `sa-flow-${run}`;
const release = `sa-${run}`;
const fullname = `${release}-mesos-operator`;
const leaseName = `${fullname}-leader`;
const trimmedRole = `${fullname}-without-binding`;
const agentLabel = `e2e.mesos.operator.dev/agents=${ns}`;
const nodes = [`sa-flow-${run}-a`];
const frameworks = customResources(c, "frameworks");
const tasks = customResources(c, "tasks");
let operator: OperatorProcess | undefined;

function run_(bin: string, args: string[], input?: string): string {
  const r = spawnSync(bin, args, { input, encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}
const kubectl = (args: string[], input?: string) => run_(tool("kubectl"), args, input);

/** An operator process that authenticates as ServiceAccount `sa` of the release namespace. */
async function operatorAs(sa: string): Promise<OperatorProcess> {
  const kc = await serviceAccountKubeconfig(c.kc, { namespace: ns, name: sa });
  return startOperatorProcess(ns, `sa-flow-${run}`, agentLabel, [
    "--kubeconfig",
    kc.path,
    "--lease-name",
    leaseName,
  ]);
}

const framework = {
  apiVersion: "mesos.operator.dev/v1alpha1",
  kind: "Framework",
  metadata: { name: "sa-fw" },
  spec: { user: "nobody", roles: ["sa"], capabilities: ["TASK_KILLING_STATE"] },
};
const task = (name: string) => ({
  apiVersion: "mesos.operator.dev/v1alpha1",
  kind: "Task",
  metadata: { name },
  spec: { frameworkName: "sa-fw", resources: { cpus: 0.5, mem: 128 }, command: { value: "sleep 3600" } },
});

beforeAll(async () => {
  ensureCrds();
  // The chart with its RBAC and ServiceAccount; the CRDs are already there (crds.install=false).
  run_(tool("helm"), [
    "install",
    release,
    join(repoRoot, "charts", "mesos-operator"),
    "-n",
    ns,
    "--create-namespace",
    "--set",
    "crds.install=false",
    "--set",
    `agentSelector=${agentLabel}`,
  ]);
  for (const n of nodes)
    await addFakeNode(c, n, { cpu: "4", memory: "8Gi", labels: { "e2e.mesos.operator.dev/agents": ns } });
  await frameworks.create(ns, framework);
});

afterAll(async () => {
  await operator?.stop();
  // Tear down with an operator that has every permission it needs.
  operator = await operatorAs(fullname).catch(() => undefined);
  await deleteFrameworks(c, ns);
  await operator?.stop();
  spawnSync(tool("helm"), ["uninstall", release, "-n", ns, "--wait", "--timeout", "60s"]);
  spawnSync(tool("kubectl"), ["delete", "clusterrole,clusterrolebinding", trimmedRole, "--ignore-not-found"]);
  await c.core.deleteNamespace({ name: ns }).catch(() => undefined);
  for (const n of nodes) await removeNode(c, n);
});

describe("the operator as the chart's ServiceAccount", () => {
  it("runs the basic task flow: TASK_RUNNING, then kill → TASK_KILLED", async () => {
    operator = await operatorAs(fullname);
    await tasks.create(ns, task("sa-0"));
    const running = await waitForTaskState(c, ns, "sa-0", "TASK_RUNNING", operator, 60_000);
    expect(running.status?.podName).toBeDefined();
    await tasks.patch(ns, "sa-0", { spec: { kill: { gracePeriodSeconds: 1 } } });
    await waitForTaskState(c, ns, "sa-0", "TASK_KILLED", operator, 30_000);
    expect(operator.output()).not.toMatch(/"code":403/);
    await operator.stop();
    operator = undefined;
  });

  it("without pods/binding create: keeps running and names the refused verb and resource", async () => {
    // A copy of the chart's ClusterRole without the binding rule, bound to a second ServiceAccount
    // that also gets the chart's namespaced Role (the leader Lease).
    const role = JSON.parse(kubectl(["get", "clusterrole", fullname, "-o", "json"])) as {
      rules: { resources?: string[]; verbs: string[] }[];
    };
    const rules = role.rules.filter((r) => !(r.resources ?? []).includes("pods/binding"));
    expect(rules.length).toBe(role.rules.length - 1);
    kubectl(["create", "serviceaccount", "trimmed", "-n", ns]);
    kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "List",
        items: [
          {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRole",
            metadata: { name: trimmedRole },
            rules,
          },
          {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRoleBinding",
            metadata: { name: trimmedRole },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: trimmedRole },
            subjects: [{ kind: "ServiceAccount", name: "trimmed", namespace: ns }],
          },
          {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "RoleBinding",
            metadata: { name: "trimmed", namespace: ns },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: fullname },
            subjects: [{ kind: "ServiceAccount", name: "trimmed", namespace: ns }],
          },
        ],
      }),
    );
    operator = await operatorAs("trimmed");
    await tasks.create(ns, task("sa-1"));
    const refusal = `cannot create resource "pods/binding" in API group "" in the namespace "${ns}"`;
    // kubectl describe mtask shows it: a Warning Event on the Task quoting the API server.
    const event = await waitFor(
      "a Forbidden Event on the Task",
      async () => {
        const list = await c.kc.makeApiClient(EventsV1Api).listNamespacedEvent({ namespace: ns });
        return list.items.find(
          (e) => e.regarding?.name === "sa-1" && e.reason === "Forbidden" && e.note?.includes(refusal),
        );
      },
      { timeoutMs: 60_000, describe: async () => operator?.output().slice(-4000) ?? "" },
    );
    expect(event.type).toBe("Warning");
    expect(event.note).toContain(`system:serviceaccount:${ns}:trimmed`);
    // The JSON log line carries the same message (quotes escaped).
    expect(operator.output()).toContain(refusal.replaceAll('"', '\\"'));
    expect(operator.child.exitCode).toBeNull();
  });
});
