// A Go scheduler on mesos-go v0.0.11's v1 HTTP scheduler client (httpcli + httpsched), library
// unmodified, against the operator process's Mesos HTTP API: with the JSON codec it subscribes,
// accepts one offer with a LAUNCH, sees TASK_RUNNING and acknowledges it; a second run also
// reconciles the task explicitly and kills it; a third does all that with the library's default
// codec, protobuf. Asserted from the program's output (one JSON line per event and per HTTP
// exchange) and from the cluster (the Task object, its acknowledged updates).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import type { Framework, Task } from "../../controllers/api/index.ts";
import { mesosGoScheduler } from "./support/clientBuilds.ts";
import { mesosTestBed } from "./support/mesosTestBed.ts";
import { customResources } from "./support/operator.ts";
import { waitFor } from "./support/wait.ts";

let binary = "";
const bed = mesosTestBed({
  name: "mesosgo",
  agents: { a: { cpu: "2", memory: "4Gi", disk: "100Gi" } },
  // Built once per change of its sources, into the cache outside the repo.
  beforeStart: () => {
    binary = mesosGoScheduler();
  },
  setUpTimeoutMs: 600_000,
});
const { c, ns } = bed;
const frameworks = customResources(c, "frameworks");
const tasks = customResources(c, "tasks");

interface Line {
  event: string;
  [key: string]: unknown;
}

/** Runs the scheduler to its exit; its JSON lines and a report for failure messages. */
async function runScheduler(
  taskId: string,
  extra: string[],
): Promise<{ code: number | null; lines: Line[]; report: string }> {
  const child = spawn(
    binary,
    [
      "-url",
      `${bed.base}/api/v1/scheduler`,
      "-name",
      `mesos-go-e2e-${taskId}`,
      "-task-id",
      taskId,
      "-command",
      "sleep 60",
      // kwok holds the pod Running; it does not finish within the test.
      "-label",
      "sim.mesos.operator.dev/outcome=succeed",
      "-label",
      "sim.mesos.operator.dev/after=300s",
      "-timeout",
      "60s",
      "-codec",
      "json",
      ...extra,
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
  return {
    code,
    lines,
    report: `${stdout}\n${stderr.slice(-4000)}\n${bed.operator.process.output().slice(-3000)}`,
  };
}

async function taskObject(
  frameworkName: string,
  taskId: string,
): Promise<{ fw: Framework | undefined; task: Task | undefined }> {
  const fw = ((await frameworks.list(ns)).items as Framework[]).find((f) => f.spec.name === frameworkName);
  const task = ((await tasks.list(ns)).items as Task[]).find(
    (t) => t.spec.frameworkName === fw?.metadata.name && t.spec.taskId === taskId,
  );
  return { fw, task };
}

describe("mesos-go against the operator", () => {
  it("subscribes, launches on an offer, sees TASK_RUNNING and acknowledges it", async () => {
    const { code, lines, report } = await runScheduler("mesos-go-task-1", []);
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

    const { fw, task } = await taskObject("mesos-go-e2e-mesos-go-task-1", "mesos-go-task-1");
    expect(fw?.status?.frameworkId).toBe(subscribed?.frameworkId);
    expect(task?.status?.state).toBe("TASK_RUNNING");
    await waitFor("the TASK_RUNNING acknowledgement recorded on the Task", async () => {
      const fresh = (await tasks.get(ns, task?.metadata.name ?? "")) as Task;
      return (fresh.status?.updates ?? []).some((u) => u.state === "TASK_RUNNING" && u.acknowledged === true);
    });
  }, 90_000);

  it("reconciles its running task explicitly, then kills it: TASK_KILLED, acknowledged", async () => {
    const { code, lines, report } = await runScheduler("mesos-go-task-2", ["-kill-after-running"]);
    expect(code, report).toBe(0);
    const updates = lines.filter((l) => l.event === "UPDATE" && l.taskId === "mesos-go-task-2");
    // The master's answer to RECONCILE: the latest state, no uuid (never acknowledged).
    const reconciled = updates.find((u) => u.reason === "REASON_RECONCILIATION");
    expect(reconciled, report).toMatchObject({
      state: "TASK_RUNNING",
      reliable: false,
      source: "SOURCE_MASTER",
    });
    const killed = updates.find((u) => u.state === "TASK_KILLED");
    expect(killed, report).toMatchObject({ reliable: true });
    expect(lines.some((l) => l.event === "ACKNOWLEDGED" && l.state === "TASK_KILLED")).toBe(true);
    expect(updates.findIndex((u) => u.reason === "REASON_RECONCILIATION")).toBeLessThan(
      updates.findIndex((u) => u.state === "TASK_KILLED"),
    );

    const { task } = await taskObject("mesos-go-e2e-mesos-go-task-2", "mesos-go-task-2");
    expect(task?.spec.kill).toBeDefined();
    await waitFor("TASK_KILLED acknowledged on the Task", async () => {
      const fresh = (await tasks.get(ns, task?.metadata.name ?? "")) as Task;
      return (
        fresh.status?.state === "TASK_KILLED" &&
        (fresh.status.updates ?? []).some((u) => u.state === "TASK_KILLED" && u.acknowledged === true)
      );
    });
  }, 90_000);

  it("with its default protobuf codec: subscribes, launches, reconciles, kills, all in application/x-protobuf", async () => {
    const { code, lines, report } = await runScheduler("mesos-go-task-3", [
      "-codec",
      "default",
      "-kill-after-running",
    ]);
    expect(code, report).toBe(0);
    // Every call went out as protobuf; SUBSCRIBE streamed protobuf back, the others were 202.
    const http = lines.filter((l) => l.event === "HTTP");
    expect(http.length, report).toBeGreaterThan(4);
    for (const exchange of http)
      expect(exchange, report).toMatchObject({ contentType: "application/x-protobuf" });
    expect(http[0], report).toMatchObject({
      accept: "application/x-protobuf",
      status: 200,
      responseContentType: "application/x-protobuf",
    });
    for (const exchange of http.slice(1)) expect(exchange.status, report).toBe(202);

    const subscribed = lines.find((l) => l.event === "SUBSCRIBED");
    expect(subscribed?.frameworkId, report).toMatch(/-0000$/);
    expect(subscribed?.heartbeatInterval).toBeGreaterThan(0);
    const accepted = lines.find((l) => l.event === "ACCEPTED");
    const offer = lines.find((l) => l.event === "OFFER" && l.offerId === accepted?.offerId);
    expect(offer?.cpus).toBeGreaterThan(0);
    const updates = lines.filter((l) => l.event === "UPDATE" && l.taskId === "mesos-go-task-3");
    expect(
      updates.find((u) => u.state === "TASK_RUNNING" && u.reliable === true),
      report,
    ).toMatchObject({
      agentId: offer?.agentId,
    });
    expect(
      updates.find((u) => u.reason === "REASON_RECONCILIATION"),
      report,
    ).toMatchObject({
      state: "TASK_RUNNING",
      reliable: false,
      source: "SOURCE_MASTER",
    });
    expect(
      updates.find((u) => u.state === "TASK_KILLED"),
      report,
    ).toMatchObject({ reliable: true });
    expect(lines.filter((l) => l.event === "ACKNOWLEDGED").map((l) => l.state)).toEqual(
      expect.arrayContaining(["TASK_RUNNING", "TASK_KILLED"]),
    );
    expect(lines.at(-1)?.event).toBe("DONE");

    const { fw, task } = await taskObject("mesos-go-e2e-mesos-go-task-3", "mesos-go-task-3");
    expect(fw?.status?.frameworkId).toBe(subscribed?.frameworkId);
    await waitFor("TASK_KILLED acknowledged on the Task", async () => {
      const fresh = (await tasks.get(ns, task?.metadata.name ?? "")) as Task;
      return (
        fresh.status?.state === "TASK_KILLED" &&
        (fresh.status.updates ?? []).some((u) => u.state === "TASK_KILLED" && u.acknowledged === true)
      );
    });
  }, 90_000);
});
