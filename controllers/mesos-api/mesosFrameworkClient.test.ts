// The real npm client `mesos-framework` 0.5.3, unmodified, against the façade over the in-memory
// backend: SUBSCRIBE → OFFERS → ACCEPT(LAUNCH ×5) → UPDATE TASK_RUNNING → ACKNOWLEDGE → UPDATE
// TASK_FINISHED → ACKNOWLEDGE. The client reports any wire problem (framing, a missing field, a
// non-202 answer) as an 'error' event, so the test fails on any of them. It needs no cluster.
//
// The client launches only every other pending task per offer (its OFFERS handler splices the
// array it is iterating), and ACCEPT declines the rest of the offer with the default 5 s filter,
// so the five tasks go out over three offers: at 0 s, 5 s and 10 s. The backend's clock is manual
// and moved on whenever the client is idle, so that takes milliseconds.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualTimers } from "./testing/manualTimers.ts";
import { startTestServer, type TestServer } from "./testing/testServer.ts";

// The parts of the client this test touches (it ships no types).
interface MesosFrameworkScheduler {
  on(event: string, listener: (payload: unknown) => void): void;
  subscribe(): void;
  removeAllListeners(): void;
  httpRequest: { destroy?: () => void };
  frameworkId: string | null;
}
interface MesosFrameworkModule {
  Scheduler: new (options: Record<string, unknown>) => MesosFrameworkScheduler;
  Mesos: { getMesos(): { CommandInfo: new (...args: unknown[]) => unknown } };
}

const require = createRequire(import.meta.url);
const { Scheduler, Mesos } = require("mesos-framework") as MesosFrameworkModule;

const TASKS = 5;

describe("mesos-framework 0.5.3 against the façade", () => {
  let t: TestServer;
  const backendTime = new ManualTimers();
  let logDir: string;
  let scheduler: MesosFrameworkScheduler;
  const errors: unknown[] = [];
  const updates: { taskId: string; state: string; uuid: boolean }[] = [];
  const sent: string[] = [];

  beforeAll(async () => {
    t = await startTestServer({ backend: { finishTasksAfterRunning: true, timers: backendTime } });
    logDir = mkdtempSync(join(tmpdir(), "mesos-framework-"));
    const port = Number(new URL(t.baseUrl).port);
    const CommandInfo = Mesos.getMesos().CommandInfo;
    scheduler = new Scheduler({
      masterUrl: "127.0.0.1",
      port,
      frameworkName: "mesos-framework-acceptance",
      logging: { path: logDir, fileName: "scheduler.log", level: "error" },
      tasks: {
        sleeper: {
          instances: TASKS,
          commandInfo: new CommandInfo(null, null, true, "sleep 10;", null, null),
          resources: { cpus: 0.2, mem: 128, ports: 1, disk: 0 },
        },
      },
    });
    scheduler.on("error", (error) => errors.push(error));
    scheduler.on("update", (update) => {
      const status = (update as { status: { task_id: { value: string }; state: string; uuid?: string } })
        .status;
      updates.push({ taskId: status.task_id.value, state: status.state, uuid: status.uuid !== undefined });
    });
    for (const event of ["sent_accept", "sent_decline", "sent_acknowledge", "sent_reconcile"])
      scheduler.on(event, () => sent.push(event));
    scheduler.on("ready", () => scheduler.subscribe());
  });

  afterAll(async () => {
    // Stop the client from re-subscribing once the server goes away (after the assertions).
    scheduler.removeAllListeners();
    scheduler.on("error", () => {});
    scheduler.subscribe = () => {};
    scheduler.httpRequest.destroy?.();
    await t.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  it(`launches ${TASKS} command tasks that run and finish, acknowledging every update`, async () => {
    const finished = () => new Set(updates.filter((u) => u.state === "TASK_FINISHED").map((u) => u.taskId));
    const acknowledged = () => sent.filter((s) => s === "sent_acknowledge").length;
    const deadline = Date.now() + 8000;
    let progress = "";
    let idleSince = Date.now();
    while (
      (finished().size < TASKS || acknowledged() < 2 * TASKS) &&
      errors.length === 0 &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 10));
      const now = `${updates.length}/${sent.length}`;
      if (now !== progress) {
        progress = now;
        idleSince = Date.now();
      } else if (Date.now() - idleSince > 100) {
        // Idle: let the refuse filter of the last ACCEPT run out, so the agent is offered again.
        backendTime.advance(5000);
        idleSince = Date.now();
      }
    }

    expect(errors).toEqual([]);
    expect(scheduler.frameworkId).toMatch(/^in-memory-\d{4}$/);
    expect(finished().size).toBe(TASKS);
    for (const taskId of finished())
      expect(updates.filter((u) => u.taskId === taskId).map((u) => u.state)).toEqual([
        "TASK_RUNNING",
        "TASK_FINISHED",
      ]);
    expect(updates.every((u) => u.uuid)).toBe(true);
    expect(sent.filter((s) => s === "sent_acknowledge")).toHaveLength(2 * TASKS);
    expect(sent).toContain("sent_accept");
    // Every acknowledged update left the retry queue.
    for (const taskId of finished())
      expect(t.backend.retrier.pending(scheduler.frameworkId ?? "", taskId)).toEqual([]);
    const completed = [...t.backend.tasks.values()].filter((r) => r.completed);
    expect(completed).toHaveLength(TASKS);
  }, 15_000);
});
