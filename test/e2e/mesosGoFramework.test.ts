// A Go scheduler on mesos-go v0.0.11's v1 HTTP scheduler client (httpcli + httpsched, JSON codec),
// library unmodified, against the operator process's Mesos HTTP API: it subscribes, accepts one
// offer with a LAUNCH, sees TASK_RUNNING and acknowledges it. Asserted from the program's output
// (one JSON line per event) and from the cluster (the Task object, its acknowledged update).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Framework, Task } from "../../controllers/api/index.ts";
import { mesosGoScheduler } from "./support/clientBuilds.ts";
import { ensureCrds } from "./support/crds.ts";
import { addFakeNode, removeNode } from "./support/fakeNodes.ts";
import { kubeClients } from "./support/kube.ts";
import {
  customResources,
  deleteFrameworks,
  type OperatorProcess,
  startOperatorProcess,
} from "./support/operator.ts";
import { freePort } from "./support/ports.ts";
import { waitFor } from "./support/wait.ts";

const c = kubeClients();
const run = Date.now().toString(36);
const ns = `mesosgo-${run}`;
const agentLabel = `e2e.mesos.operator.dev/agents=${ns}`;
const node = `mesosgo-${run}-a`;
const frameworks = customResources(c, "frameworks");
const tasks = customResources(c, "tasks");
let operator: OperatorProcess;
let port = 0;
let binary = "";

beforeAll(async () => {
  // Built once per change of its sources, into the cache outside the repo.
  binary = mesosGoScheduler();
  ensureCrds();
  await c.core.createNamespace({ body: { metadata: { name: ns } } });
  await addFakeNode(c, node, { cpu: "2", memory: "4Gi", labels: { "e2e.mesos.operator.dev/agents": ns } });
  port = await freePort();
  operator = startOperatorProcess(ns, `mesosgo-${run}`, agentLabel, ["--mesos-api-port", String(port)]);
  await waitFor(
    "the Mesos API of the leader",
    async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.status === 200,
    { timeoutMs: 60_000, describe: async () => operator.output().slice(-3000) },
  );
}, 600_000);

afterAll(async () => {
  await deleteFrameworks(c, ns);
  await operator?.stop();
  await c.core.deleteNamespace({ name: ns }).catch(() => undefined);
  await removeNode(c, node);
});

interface Line {
  event: string;
  [key: string]: unknown;
}

describe("mesos-go against the operator", () => {
  it("subscribes, launches on an offer, sees TASK_RUNNING and acknowledges it", async () => {
    const child = spawn(
      binary,
      [
        "-url",
        `http://127.0.0.1:${port}/api/v1/scheduler`,
        "-name",
        "mesos-go-e2e",
        "-task-id",
        "mesos-go-task-1",
        "-command",
        "sleep 60",
        // kwok holds the pod Running; it does not finish within the test.
        "-label",
        "sim.mesos.operator.dev/outcome=succeed",
        "-label",
        "sim.mesos.operator.dev/after=300s",
        "-timeout",
        "90s",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const [code] = (await once(child, "exit")) as [number | null];
    const lines = stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Line);
    const report = `${stdout}\n${stderr.slice(-4000)}\n${operator.output().slice(-3000)}`;
    expect(code, report).toBe(0);

    const subscribed = lines.find((l) => l.event === "SUBSCRIBED");
    expect(subscribed?.frameworkId, report).toMatch(/-0000$/);
    expect(subscribed?.heartbeatInterval).toBeGreaterThan(0);
    const accepted = lines.find((l) => l.event === "ACCEPTED");
    const offer = lines.find((l) => l.event === "OFFER" && l.offerId === accepted?.offerId);
    expect(offer?.hostname).toEqual(expect.any(String));
    const running = lines.find((l) => l.event === "UPDATE" && l.state === "TASK_RUNNING");
    expect(running, report).toMatchObject({
      taskId: "mesos-go-task-1",
      reliable: true,
      agentId: offer?.agentId,
    });
    expect(lines.some((l) => l.event === "ACKNOWLEDGED" && l.state === "TASK_RUNNING")).toBe(true);
    expect(lines.at(-1)?.event).toBe("DONE");

    const fw = ((await frameworks.list(ns)).items as Framework[]).find((f) => f.spec.name === "mesos-go-e2e");
    expect(fw?.status?.frameworkId).toBe(subscribed?.frameworkId);
    const task = ((await tasks.list(ns)).items as Task[]).find(
      (t) => t.spec.frameworkName === fw?.metadata.name && t.spec.taskId === "mesos-go-task-1",
    );
    expect(task?.status?.state).toBe("TASK_RUNNING");
    await waitFor("the TASK_RUNNING acknowledgement recorded on the Task", async () => {
      const fresh = (await tasks.get(ns, task?.metadata.name ?? "")) as Task;
      return (fresh.status?.updates ?? []).some((u) => u.state === "TASK_RUNNING" && u.acknowledged === true);
    });
  }, 120_000);
});
