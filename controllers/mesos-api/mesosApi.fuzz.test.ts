// Property-based fuzzing of the façade over real HTTP: at least 5,000 random and malformed calls
// (random JSON, random bytes, and valid calls with random mutations, under random headers and
// methods) to the scheduler and operator APIs. Properties: the server never crashes and never
// answers 5xx — except Mesos's own 501 for type UNKNOWN and for the operator calls this master
// answers 501 for (see docs/mesos-compatibility.md); a rejected call (4xx) leaves the cluster state unchanged; and
// unless it is one of the calls whose refusal is the backend's to decide (UPDATE_FRAMEWORK, the
// operator's changes), it never even reaches the backend.
import { Agent } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKEND_DECIDED, callType, fuzzRequest, NOT_IMPLEMENTED_CALLS, send } from "./testing/fuzzCalls.ts";
import { httpRequest } from "./testing/httpClient.ts";
import type { InMemoryBackend } from "./testing/inMemoryBackend.ts";
import { ManualTimers } from "./testing/manualTimers.ts";
import { TestFramework } from "./testing/testFramework.ts";
import { startTestServer, type TestServer } from "./testing/testServer.ts";

const RUNS = 5200;
/** The durable state (what a call may change); connections and offers come and go with streams. */
function stateDigest(backend: InMemoryBackend): string {
  return JSON.stringify({
    frameworks: [...backend.frameworks.values()].map((f) => f.info),
    completed: [...backend.completedFrameworks.keys()],
    tasks: [...backend.tasks.values()].map((t) => [t.task.task_id.value, t.task.state, t.completed]),
    weights: backend.weights,
    quota: backend.quotaConfigs,
    schedule: backend.schedule,
  });
}

describe("fuzzing the façade", () => {
  let t: TestServer;
  let fw: TestFramework;
  let disconnectedId = "";
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    // Backend timers that never run: nothing changes the state but the calls themselves.
    t = await startTestServer({ backend: { timers: new ManualTimers() } });
    fw = await TestFramework.subscribe(t.baseUrl, {
      user: "u",
      name: "fuzz",
      roles: ["*"],
      failover_timeout: 3600,
    });
    // A framework whose stream is gone but which is still registered (calls naming it: 403).
    const gone = await TestFramework.subscribe(t.baseUrl, {
      user: "u",
      name: "gone",
      failover_timeout: 3600,
    });
    disconnectedId = gone.frameworkId;
    gone.close();
    while (!t.backend.calls.some((c) => c.method === "disconnected"))
      await new Promise((r) => setTimeout(r, 5));
  });
  afterAll(async () => {
    agent.destroy();
    fw.close();
    await t.close();
  });

  it(`survives ${RUNS} random and malformed calls: no 5xx, rejected calls change nothing`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (r) => {
        if (t.backend.registeredFramework(fw.frameworkId) === undefined || fw.stream.ended) {
          fw.close();
          fw = await TestFramework.subscribe(t.baseUrl, {
            user: "u",
            name: "fuzz",
            roles: ["*"],
            failover_timeout: 3600,
          });
        }
        const reached = () => t.backend.calls.filter((c) => c.method !== "disconnected").length;
        const before = reached();
        const digest = stateDigest(t.backend);
        const answer = await send(t.baseUrl, agent, r, {
          subscribed: fw.frameworkId,
          disconnected: disconnectedId,
          unknown: "nobody",
          streamId: fw.stream.streamId ?? "",
        });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status >= 500) {
          expect(answer.status, answer.body).toBe(501);
          expect(NOT_IMPLEMENTED_CALLS.has(String(callType(r.body)))).toBe(true);
        }
        if (answer.status >= 400) {
          expect(stateDigest(t.backend), `${answer.status} ${answer.body}`).toBe(digest);
          if (!BACKEND_DECIDED.has(String(callType(r.body))))
            expect(reached(), `${answer.status} ${answer.body}`).toBe(before);
        }
      }),
      { numRuns: RUNS, seed: 20261125 },
    );
    // The server still serves, and the fuzz exercised accepted and rejected paths alike.
    expect((await httpRequest(t.baseUrl, { path: "/health" })).status).toBe(200);
    for (const status of [200, 202, 400, 403, 405, 406, 415, 501])
      expect(statuses.get(status) ?? 0).toBeGreaterThan(0);
  }, 60_000);
});
