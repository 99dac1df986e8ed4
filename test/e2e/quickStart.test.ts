import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { kubeClients } from "./support/kube.ts";
import { customResources, deleteFrameworks } from "./support/operator.ts";
import { repoRoot } from "./support/paths.ts";
import { freePort } from "./support/ports.ts";
import { waitFor } from "./support/wait.ts";

// The README's quick start: `npm start` (hack/start.sh) on the local cluster applies the examples
// and runs the operator, and the example task reaches TASK_RUNNING, visible through both doors.
const c = kubeClients();
const ns = "mesos-demo";
// Ports the kernel says are free: random ones in the ephemeral range can be some connection's
// local port (EADDRINUSE: seen in CI).
let mesosPort = 0;
let metricsPort = 0;
let child: ChildProcess | undefined;
let output = "";

afterAll(async () => {
  // Tear the demo framework down while its operator still runs, so no task pod is left behind.
  await deleteFrameworks(c, ns).catch(() => undefined);
  if (child?.exitCode === null) {
    child.kill("SIGTERM");
    await once(child, "exit");
  }
  await c.core.deleteNamespace({ name: ns }).catch(() => undefined);
  for (const name of ["analytics", "eng.web"])
    await c.custom
      .deleteClusterCustomObject({ group: "mesos.operator.dev", version: "v1alpha1", plural: "roles", name })
      .catch(() => undefined);
});

describe("quick start (npm start)", () => {
  it("applies the examples and runs the example task; /master/tasks lists it", async () => {
    mesosPort = await freePort();
    metricsPort = await freePort();
    child = spawn("bash", [join(repoRoot, "hack/start.sh")], {
      cwd: repoRoot,
      env: {
        ...process.env,
        // What `npm start` puts first on the PATH: this Node (24) and node_modules/.bin (tsx).
        PATH: `${dirname(process.execPath)}:${join(repoRoot, "node_modules/.bin")}:${process.env.PATH}`,
        MESOS_API_PORT: String(mesosPort),
        METRICS_PORT: String(metricsPort),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (d: Buffer) => {
      output = (output + d.toString()).slice(-100_000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const tasks = customResources(c, "tasks");
    await waitFor(
      "the example task web-0 in TASK_RUNNING",
      async () => {
        const t = (await tasks.get(ns, "web-0").catch(() => undefined)) as
          | { status?: { state?: string } }
          | undefined;
        return t?.status?.state === "TASK_RUNNING" ? t : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 250, describe: async () => output.slice(-4000) },
    );
    expect(output).toContain("Applied examples/role-with-quota.yaml");
    const body = (await (await fetch(`http://127.0.0.1:${mesosPort}/master/tasks`)).json()) as {
      tasks: { id: string; state: string }[];
    };
    expect(body.tasks).toContainEqual(expect.objectContaining({ id: "web-0", state: "TASK_RUNNING" }));
  }, 200_000);
});
