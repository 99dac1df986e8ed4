// The real PyPI client pymesos 0.3.15 (MesosSchedulerDriver, unmodified) against the operator
// process's Mesos HTTP API: test/e2e/clients/pymesos/framework.py subscribes, launches five command
// tasks on the offers it gets, and acknowledges every update explicitly; kwok runs each pod and
// finishes it (the sim.mesos.operator.dev/outcome label). Asserted from what the script printed
// and from the cluster (Framework and Task objects, acknowledged updates). A second framework keeps
// its tasks running through a restart of the operator (a leader change): pymesos reconnects,
// re-subscribes with its framework id, and its tasks still finish.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Framework, Task } from "../../controllers/api/index.ts";
import { pymesosPython } from "./support/clientBuilds.ts";
import { mesosTestBed } from "./support/mesosTestBed.ts";
import { customResources } from "./support/operator.ts";
import { repoRoot } from "./support/paths.ts";
import { waitFor } from "./support/wait.ts";

const TASKS = 5;
let python = "";
const agent = { cpu: "4", memory: "8Gi", disk: "100Gi" };
const bed = mesosTestBed({
  name: "pymesos",
  agents: { a: agent, b: agent },
  // First run only: a virtualenv with pymesos and its C HTTP parser (cached outside the repo).
  beforeStart: () => {
    python = pymesosPython();
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

/** framework.py as a child process; its JSON lines are parsed as they arrive. */
function startFramework(name: string, count: number, after: string) {
  const child = spawn(
    python,
    [
      join(repoRoot, "test/e2e/clients/pymesos/framework.py"),
      "--master",
      `127.0.0.1:${bed.operator.port}`,
      "--name",
      name,
      "--tasks",
      String(count),
      "--label",
      "sim.mesos.operator.dev/outcome=succeed",
      "--label",
      `sim.mesos.operator.dev/after=${after}`,
      "--timeout",
      "100",
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
  const exited = once(child, "exit") as Promise<[number | null]>;
  return {
    child,
    lines: (): Line[] =>
      stdout
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Line),
    report: () => `${stdout}\n${stderr.slice(-4000)}\n${bed.operator.process.output().slice(-3000)}`,
    exitCode: async () => (await exited)[0],
  };
}

describe("pymesos against the operator", () => {
  it(`launches ${TASKS} command tasks that run and finish through kwok, acknowledging every update`, async () => {
    const fw = startFramework("pymesos-e2e", TASKS, "5s");
    const code = await fw.exitCode();
    const lines = fw.lines();
    const report = fw.report();
    expect(code, report).toBe(0);

    const registered = lines.find((l) => l.event === "REGISTERED");
    expect(registered?.frameworkId, report).toMatch(/-0000$/);
    // pymesos read the master's version from GET /version and kept it.
    expect((registered?.master as { version?: string } | undefined)?.version).toBe("1.11.0");
    const launched = lines.filter((l) => l.event === "LAUNCHED").flatMap((l) => l.taskIds as string[]);
    expect(launched).toHaveLength(TASKS);

    const updates = lines.filter((l) => l.event === "UPDATE");
    const acks = lines.filter((l) => l.event === "ACKNOWLEDGED");
    for (const taskId of launched) {
      const states = updates.filter((u) => u.taskId === taskId).map((u) => u.state);
      expect(states, report).toContain("TASK_RUNNING");
      expect(states.at(-1)).toBe("TASK_FINISHED");
      expect(states.indexOf("TASK_RUNNING")).toBeLessThan(states.indexOf("TASK_FINISHED"));
    }
    // Every update was a reliable one (uuid, agent_id) and was acknowledged.
    expect(updates.every((u) => u.reliable === true && typeof u.agentId === "string")).toBe(true);
    expect(acks).toHaveLength(updates.length);

    // Both doors, one state: the Framework and its Tasks are custom resources.
    const object = ((await frameworks.list(ns)).items as Framework[]).find(
      (f) => f.spec.name === "pymesos-e2e",
    );
    expect(object?.status?.frameworkId).toBe(registered?.frameworkId);
    const ts = ((await tasks.list(ns)).items as Task[]).filter(
      (t) => t.spec.frameworkName === object?.metadata.name,
    );
    expect(ts.map((t) => t.spec.taskId).sort()).toEqual([...launched].sort());
    for (const t of ts) {
      expect(t.status?.state).toBe("TASK_FINISHED");
      expect(t.spec.labels?.["sim.mesos.operator.dev/outcome"]).toBe("succeed");
      await waitFor(`acknowledgements recorded on ${t.metadata.name}`, async () => {
        const fresh = (await tasks.get(ns, t.metadata.name ?? "")) as Task;
        return (fresh.status?.updates ?? []).every((u) => u.uuid === undefined || u.acknowledged);
      });
    }
  }, 150_000);

  it("fails over with the operator: pymesos re-subscribes with its framework id to the new leader, and its running tasks finish", async () => {
    const fw = startFramework("pymesos-failover", 2, "20s");
    await waitFor(
      "both tasks TASK_RUNNING and acknowledged",
      async () =>
        fw.lines().filter((l) => l.event === "ACKNOWLEDGED" && l.state === "TASK_RUNNING").length >= 2,
      { timeoutMs: 60_000, describe: async () => fw.report() },
    );
    const before = fw.lines().length;
    // The leader goes away; the next one (same Lease) serves the Mesos API on the same port.
    await bed.restartOperator();
    const code = await fw.exitCode();
    const lines = fw.lines();
    const report = fw.report();
    expect(code, report).toBe(0);
    const registered = lines.find((l) => l.event === "REGISTERED");
    // pymesos re-subscribed (SUBSCRIBE with framework_id): reregistered(), not a new framework.
    expect(
      lines.slice(before).some((l) => l.event === "REREGISTERED"),
      report,
    ).toBe(true);
    expect(lines.filter((l) => l.event === "REGISTERED")).toHaveLength(1);
    // Its implicit reconciliation after re-registering is answered for each of its tasks, by the
    // master (no uuid, so not acknowledged), with a state the task really had.
    const reconciled = lines
      .slice(before)
      .filter((l) => l.event === "UPDATE" && l.reason === "REASON_RECONCILIATION");
    expect(new Set(reconciled.map((u) => u.taskId)).size, report).toBe(2);
    for (const u of reconciled) {
      expect(u.reliable).toBe(false);
      expect(["TASK_RUNNING", "TASK_FINISHED"]).toContain(u.state);
    }
    const launched = lines.filter((l) => l.event === "LAUNCHED").flatMap((l) => l.taskIds as string[]);
    expect(launched).toHaveLength(2);
    const updates = lines.filter((l) => l.event === "UPDATE");
    for (const taskId of launched)
      expect(updates.filter((u) => u.taskId === taskId).at(-1)?.state, report).toBe("TASK_FINISHED");
    // Nothing lost, killed or failed across the leader change.
    expect(
      updates.filter((u) => !["TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"].includes(u.state as string)),
      report,
    ).toEqual([]);

    const object = ((await frameworks.list(ns)).items as Framework[]).find(
      (f) => f.spec.name === "pymesos-failover",
    );
    expect(object?.status?.frameworkId).toBe(registered?.frameworkId);
  }, 150_000);
});
