// The real npm client `mesos-framework` 0.5.3, unmodified, against the operator process's Mesos
// HTTP API (the ClusterBackend on the shared state): SUBSCRIBE creates a Framework object, its
// offers come from the allocator, ACCEPT/LAUNCH creates Task objects that run as pods on fake
// nodes, kwok finishes them (the sim.mesos.operator.dev/outcome label of the TaskInfo), and every
// UPDATE (TASK_RUNNING, TASK_FINISHED) is acknowledged. Then /master/state and GET_STATE show it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import type { Framework, Task } from "../../controllers/api/index.ts";
import { mesosTestBed } from "./support/mesosTestBed.ts";
import { customResources } from "./support/operator.ts";
import { tool } from "./support/paths.ts";
import { waitFor } from "./support/wait.ts";

interface MesosFrameworkScheduler {
  on(event: string, listener: (payload: unknown) => void): void;
  subscribe(): void;
  removeAllListeners(): void;
  httpRequest: { destroy?: () => void };
  frameworkId: string | null;
}
interface MesosFrameworkModule {
  Scheduler: new (options: Record<string, unknown>) => MesosFrameworkScheduler;
  Mesos: {
    getMesos(): {
      CommandInfo: new (...args: unknown[]) => unknown;
    };
  };
}

const require = createRequire(import.meta.url);
const { Scheduler, Mesos } = require("mesos-framework") as MesosFrameworkModule;

const TASKS = 5;
let scheduler: MesosFrameworkScheduler | undefined;
let logDir = "";
const agent = { cpu: "4", memory: "8Gi", disk: "100Gi" };
const bed = mesosTestBed({
  name: "mesosfw",
  agents: { a: agent, b: agent },
  beforeStart: () => {
    logDir = mkdtempSync(join(tmpdir(), "mesos-framework-e2e-"));
  },
  beforeTearDown: () => {
    if (scheduler !== undefined) {
      scheduler.removeAllListeners();
      scheduler.on("error", () => {});
      scheduler.subscribe = () => {};
      scheduler.httpRequest.destroy?.();
    }
    if (process.env.E2E_DUMP) writeFileSync(process.env.E2E_DUMP, bed.operator.process.output());
    if (logDir !== "") rmSync(logDir, { recursive: true, force: true });
  },
});
const { c, ns } = bed;
const nodes = [`${ns}-a`, `${ns}-b`];
const frameworks = customResources(c, "frameworks");
const tasks = customResources(c, "tasks");

const base = () => bed.base;

describe("mesos-framework against the operator", () => {
  const errors: unknown[] = [];
  const updates: { taskId: string; state: string; uuid: boolean; reason?: string; message?: string }[] = [];
  const sent: string[] = [];

  it(`launches ${TASKS} command tasks that run and finish through kwok, acknowledging every update`, async () => {
    const { CommandInfo } = Mesos.getMesos();
    const s = new Scheduler({
      masterUrl: "127.0.0.1",
      port: bed.operator.port,
      frameworkName: "mesos-framework-e2e",
      logging: { path: logDir, fileName: "scheduler.log", level: "error" },
      tasks: {
        sleeper: {
          instances: TASKS,
          commandInfo: new CommandInfo(null, null, true, "sleep 1", null, null),
          resources: { cpus: 0.2, mem: 128, ports: 1, disk: 0 },
          // A plain Labels message: the client passes it into TaskInfo.labels as it is.
          labels: {
            labels: [
              { key: "sim.mesos.operator.dev/outcome", value: "succeed" },
              { key: "sim.mesos.operator.dev/after", value: "8s" },
            ],
          },
        },
      },
    });
    scheduler = s;
    s.on("error", (error) => errors.push(error));
    s.on("update", (update) => {
      const status = (
        update as {
          status: {
            task_id: { value: string };
            state: string;
            uuid?: string;
            reason?: string;
            message?: string;
          };
        }
      ).status;
      updates.push({
        taskId: status.task_id.value,
        state: status.state,
        uuid: status.uuid !== undefined,
        reason: status.reason,
        message: status.message,
      });
    });
    for (const event of ["sent_accept", "sent_decline", "sent_acknowledge", "sent_reconcile"])
      s.on(event, () => sent.push(event));
    s.on("ready", () => s.subscribe());

    const finished = () => new Set(updates.filter((u) => u.state === "TASK_FINISHED").map((u) => u.taskId));
    // The client names its tasks "<framework>.<task>-<n>.<uuid>" and relaunches a lost one under a
    // new uuid: the five instances are the names.
    const instance = (taskId: string) => taskId.split(".").slice(0, 2).join(".");
    const finishedInstances = () => new Set([...finished()].map(instance));
    const reliable = () => updates.filter((u) => u.uuid).length;
    await waitFor(
      `${TASKS} task instances finished, every update acknowledged`,
      async () =>
        errors.length > 0 ||
        (finishedInstances().size >= TASKS &&
          sent.filter((x) => x === "sent_acknowledge").length >= reliable()),
      {
        timeoutMs: 90_000,
        intervalMs: 100,
        describe: async () =>
          `${JSON.stringify(updates)}\n${JSON.stringify(sent)}\n${bed.operator.process.output().slice(-4000)}`,
      },
    );
    expect(errors).toEqual([]);
    expect(finishedInstances().size).toBe(TASKS);
    for (const taskId of finished()) {
      const states = updates.filter((u) => u.taskId === taskId).map((u) => u.state);
      expect(states, `${taskId}: ${JSON.stringify(updates)}`).toContain("TASK_RUNNING");
      expect(states.at(-1)).toBe("TASK_FINISHED");
      expect(states.indexOf("TASK_RUNNING")).toBeLessThan(states.indexOf("TASK_FINISHED"));
    }
    // No master updates (TASK_LOST REASON_INVALID_OFFERS and the like): every offer the client
    // accepted was still valid, so each instance launched once; every update was reliable.
    expect(updates.filter((x) => !x.uuid)).toEqual([]);
    expect(finished().size).toBe(TASKS);
    expect(s.frameworkId).toMatch(/-0000$/);

    // Both doors, one state: the Framework and Tasks are custom resources.
    const fws = (await frameworks.list(ns)).items as Framework[];
    const fw = fws.find((f) => f.spec.name === "mesos-framework-e2e");
    expect(fw).toBeDefined();
    expect(fw?.status?.frameworkId).toBe(s.frameworkId);
    const ts = ((await tasks.list(ns)).items as Task[]).filter(
      (t) => t.spec.frameworkName === fw?.metadata.name,
    );
    const done = ts.filter((t) => t.status?.state === "TASK_FINISHED");
    expect(done).toHaveLength(finished().size);
    for (const t of done) {
      expect(t.spec.labels?.["sim.mesos.operator.dev/outcome"]).toBe("succeed");
      // Every reliable update was acknowledged, and that is recorded in the Task's status.
      await waitFor(`acknowledgements recorded on ${t.metadata.name}`, async () => {
        const fresh = (await tasks.get(ns, t.metadata.name ?? "")) as Task;
        return (fresh.status?.updates ?? []).every((u) => u.uuid === undefined || u.acknowledged);
      });
    }
    const kubectl = execFileSync(
      tool("kubectl"),
      ["--kubeconfig", inject("kubeconfig"), "get", "mesos", "-n", ns],
      {
        encoding: "utf8",
      },
    );
    expect(kubectl).toContain(fw?.metadata.name ?? "?");
    expect(kubectl).toContain("TASK_FINISHED");
  }, 120_000);

  it("shows the framework and its tasks in /master/state and GET_STATE", async () => {
    const frameworkId = scheduler?.frameworkId ?? "";
    const state = (await (await fetch(`${base()}/master/state`)).json()) as {
      frameworks: {
        id: string;
        name: string;
        tasks: unknown[];
        completed_tasks: { id: string; state: string }[];
      }[];
      slaves: { id: string; hostname: string }[];
    };
    const fw = state.frameworks.find((f) => f.id === frameworkId);
    expect(fw?.name).toBe("mesos-framework-e2e");
    expect(fw?.completed_tasks.filter((t) => t.state === "TASK_FINISHED").length).toBeGreaterThanOrEqual(
      TASKS,
    );
    // Fake nodes all report the hostname "localhost"; one agent per node.
    expect(state.slaves.length).toBeGreaterThanOrEqual(nodes.length);

    const res = await fetch(`${base()}/api/v1`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ type: "GET_STATE" }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      type: string;
      get_state: {
        get_frameworks: { frameworks: { framework_info: { id: { value: string } } }[] };
        get_tasks: { completed_tasks?: { framework_id: { value: string }; state: string }[] };
        get_agents: { agents: unknown[] };
      };
    };
    expect(body.type).toBe("GET_STATE");
    expect(body.get_state.get_frameworks.frameworks.map((f) => f.framework_info.id.value)).toContain(
      frameworkId,
    );
    const done = (body.get_state.get_tasks.completed_tasks ?? []).filter(
      (t) => t.framework_id.value === frameworkId,
    );
    expect(done.length).toBeGreaterThanOrEqual(TASKS);
    expect(body.get_state.get_agents.agents.length).toBeGreaterThanOrEqual(nodes.length);

    const tasksEndpoint = (await (await fetch(`${base()}/master/tasks`)).json()) as {
      tasks: { framework_id: string; state: string }[];
    };
    expect(
      tasksEndpoint.tasks.filter((t) => t.framework_id === frameworkId && t.state === "TASK_FINISHED").length,
    ).toBeGreaterThanOrEqual(TASKS);
  });
});
