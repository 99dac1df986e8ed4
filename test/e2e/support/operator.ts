import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { GROUP, type Task, VERSION } from "../../../controllers/api/index.ts";
import { type KubeClients, mergePatch as mergePatchOptions } from "./kube.ts";
import { replicaFlags } from "./operatorFlags.ts";
import { repoRoot } from "./paths.ts";
import { waitFor } from "./wait.ts";

/** An operator process started by a test (controllers/main.ts under tsx, as `npm run operator`). */
export interface OperatorProcess {
  child: ChildProcess;
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
}

/**
 * Starts an operator that leads through a Lease in `namespace` and takes only the nodes labelled
 * `agentLabel` as agents, so the tests' offers come from their own fake nodes.
 */
export function startOperatorProcess(
  namespace: string,
  identity: string,
  agentLabel: string,
  extraFlags: string[] = [],
): OperatorProcess {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(repoRoot, "controllers/main.ts"),
      ...replicaFlags(namespace, identity),
      "--metrics-port",
      "0",
      "--agent-selector",
      agentLabel,
      "--allocation-interval-ms",
      "200",
      "--log-level",
      "debug",
      // The leader serves the Mesos API; another operator (another test run) may hold 5050.
      "--mesos-api-port",
      String(40_000 + Math.floor(Math.random() * 20_000)),
      ...extraFlags,
    ],
    { cwd: repoRoot, env: { ...process.env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  const keep = (d: Buffer) => {
    out += d.toString();
    // The tail is what a failure report needs; the whole log of a long test would be megabytes.
    if (out.length > 400_000) out = out.slice(-200_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return {
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Our custom resources through the generic custom-objects API. */
export function customResources(c: KubeClients, plural: string) {
  const base = { group: GROUP, version: VERSION, plural };
  return {
    create: (namespace: string, body: object) =>
      c.custom.createNamespacedCustomObject({ ...base, namespace, body }),
    get: (namespace: string, name: string) =>
      c.custom.getNamespacedCustomObject({ ...base, namespace, name }),
    list: (namespace: string) =>
      c.custom.listNamespacedCustomObject({ ...base, namespace }) as Promise<{ items: unknown[] }>,
    patch: (namespace: string, name: string, body: object) =>
      c.custom.patchNamespacedCustomObject({ ...base, namespace, name, body }, mergePatchOptions),
    delete: (namespace: string, name: string) =>
      c.custom.deleteNamespacedCustomObject({ ...base, namespace, name }),
  };
}

/**
 * Deletes the namespace's Frameworks while the operator still runs (it kills their tasks and drops
 * the finalizer), so no framework of this test lingers for the next file's operator to offer to;
 * then drops any finalizer left (the operator may have failed) so the namespace can go.
 */
export async function deleteFrameworks(c: KubeClients, namespace: string, timeoutMs = 30_000): Promise<void> {
  const frameworks = customResources(c, "frameworks");
  const names = async () =>
    ((await frameworks.list(namespace)).items as { metadata: { name: string } }[]).map(
      (f) => f.metadata.name,
    );
  for (const name of await names()) await frameworks.delete(namespace, name).catch(() => undefined);
  const deadline = Date.now() + timeoutMs;
  while ((await names()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  const left = await names();
  if (left.length > 0) process.stderr.write(`frameworks not torn down in ${namespace}: ${left.join(", ")}\n`);
  for (const name of left)
    await frameworks.patch(namespace, name, { metadata: { finalizers: null } }).catch(() => undefined);
}

/**
 * Waits for a Task to reach `state`; on timeout says what its status was and shows the end of the
 * operator's output.
 */
export async function waitForTaskState(
  c: KubeClients,
  namespace: string,
  name: string,
  state: string,
  operator: OperatorProcess,
  timeoutMs = 20_000,
): Promise<Task> {
  const tasks = customResources(c, "tasks");
  const getTask = async () => (await tasks.get(namespace, name)) as Task;
  return waitFor(
    `task ${name} in ${state}`,
    async () => {
      const t = await getTask();
      return t.status?.state === state ? t : undefined;
    },
    {
      timeoutMs,
      intervalMs: 100,
      describe: async () => `${JSON.stringify((await getTask()).status)}\n${operator.output().slice(-6000)}`,
    },
  );
}
