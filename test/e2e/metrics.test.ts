// Issue #7's observability check: after a task flow through both doors (kubectl Tasks that run,
// fail and are killed; a Mesos-API framework that accepts an offer with a LAUNCH and acknowledges
// its updates), `curl` of the metrics endpoint shows every metric the issue lists, and
// /metrics/snapshot reports the same counts under the Mesos names (scenario S-76's per-framework
// metrics, master/elected).
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventStreamClient } from "../../controllers/mesos-api/testing/eventStreamClient.ts";
import { ensureCrds } from "./support/crds.ts";
import { addFakeNode, removeNode } from "./support/fakeNodes.ts";
import { kubeClients, mergePatch } from "./support/kube.ts";
import { waitForMesosApi } from "./support/mesosOperator.ts";
import { SchedulerSession } from "./support/mesosScheduler.ts";
import {
  customResources,
  deleteFrameworks,
  type OperatorProcess,
  startOperatorProcess,
  waitForTaskState,
} from "./support/operator.ts";
import { freePort } from "./support/ports.ts";
import { waitFor } from "./support/wait.ts";

const c = kubeClients();
const run = Date.now().toString(36);
const ns = `metrics-${run}`;
const agentLabel = `e2e.mesos.operator.dev/agents=${ns}`;
const nodes = [`metrics-${run}-a`, `metrics-${run}-b`];
const frameworks = customResources(c, "frameworks");
const tasks = customResources(c, "tasks");
let operator: OperatorProcess;
let mesosPort = 0;
let metricsPort = 0;
let stream: EventStreamClient | undefined;

const mesos = (path: string) => `http://127.0.0.1:${mesosPort}${path}`;
const curl = (url: string): string => execFileSync("curl", ["-sSf", url], { encoding: "utf8" });

beforeAll(async () => {
  ensureCrds();
  await c.core.createNamespace({ body: { metadata: { name: ns } } });
  for (const n of nodes)
    await addFakeNode(c, n, { cpu: "4", memory: "8Gi", labels: { "e2e.mesos.operator.dev/agents": ns } });
  mesosPort = await freePort();
  metricsPort = await freePort();
  operator = startOperatorProcess(ns, `metrics-${run}`, agentLabel, [
    "--mesos-api-port",
    String(mesosPort),
    "--metrics-port",
    String(metricsPort),
    // Offers nobody answers expire, so the expired outcome is counted too.
    "--offer-timeout-seconds",
    "4",
  ]);
  await waitForMesosApi(mesos(""), operator);
});

afterAll(async () => {
  stream?.close();
  await deleteFrameworks(c, ns);
  await operator?.stop();
  await c.core.deleteNamespace({ name: ns }).catch(() => undefined);
  for (const n of nodes) await removeNode(c, n);
});

describe("metrics after a task flow through both doors", () => {
  it("kubectl door: tasks run, fail and are killed; an offer is declined", async () => {
    await frameworks.create(ns, {
      apiVersion: "mesos.operator.dev/v1alpha1",
      kind: "Framework",
      metadata: { name: "kubectl-fw" },
      spec: { user: "nobody", roles: ["metrics"], capabilities: ["TASK_KILLING_STATE"] },
    });
    const task = (name: string, labels: Record<string, string> = {}) => ({
      apiVersion: "mesos.operator.dev/v1alpha1",
      kind: "Task",
      metadata: { name },
      spec: {
        frameworkName: "kubectl-fw",
        resources: { cpus: 0.5, mem: 128 },
        command: { value: "sleep 3600" },
        labels,
      },
    });
    await tasks.create(ns, task("run-0"));
    await tasks.create(
      ns,
      task("fail-0", { "sim.mesos.operator.dev/outcome": "fail", "sim.mesos.operator.dev/after": "1s" }),
    );
    await waitForTaskState(c, ns, "run-0", "TASK_RUNNING", operator, 30_000);
    await waitForTaskState(c, ns, "fail-0", "TASK_FAILED", operator, 30_000);
    await tasks.patch(ns, "run-0", { spec: { kill: { gracePeriodSeconds: 1 } } });
    await waitForTaskState(c, ns, "run-0", "TASK_KILLED", operator, 30_000);
    // Decline one of the framework's offers as a kubectl user does. An object still showing
    // Outstanding may belong to an offer the operator has just rescinded (an idle kubectl
    // framework's offers are taken back): then the decline finds nothing, and another is tried.
    const offers = customResources(c, "offers");
    type OfferObject = {
      metadata: { name: string };
      spec: { frameworkName: string };
      status?: { phase?: string };
    };
    await waitFor(
      "an offer declined through its object",
      async () => {
        const list = (await offers.list(ns)).items as OfferObject[];
        const outstanding = list.find(
          (o) => o.spec.frameworkName === "kubectl-fw" && o.status?.phase === "Outstanding",
        );
        if (outstanding === undefined) return false;
        await offers.patch(ns, outstanding.metadata.name, { spec: { decline: { refuseSeconds: 1 } } });
        const ended = await waitFor("the offer decided", async () => {
          const phase = ((await offers.get(ns, outstanding.metadata.name)) as OfferObject | undefined)?.status
            ?.phase;
          return phase !== "Outstanding" ? (phase ?? "gone") : undefined;
        });
        return ended === "Declined";
      },
      { timeoutMs: 60_000 },
    );
  });

  it("Mesos door: SUBSCRIBE, ACCEPT with one LAUNCH, ACKNOWLEDGE every update", async () => {
    const session = await SchedulerSession.subscribe(mesos(""), { user: "nobody", name: "metrics-e2e" });
    stream = session.stream;
    const frameworkId = session.frameworkId;
    expect(
      await session.launch([await session.nextOffer()], [{ id: "metrics-task-0", cpus: 0.1, mem: 32 }], 1),
    ).toBe(202);
    // Acknowledge every update until TASK_RUNNING.
    const acked = new Set<string>();
    await waitFor(
      "TASK_RUNNING acknowledged",
      async () => {
        for (const e of stream?.events ?? []) {
          if (e.type !== "UPDATE") continue;
          const st = (e.update as { status: { state: string; uuid?: string; agent_id: { value: string } } })
            .status;
          if (st.uuid === undefined || acked.has(st.uuid)) continue;
          acked.add(st.uuid);
          const ack = { agent_id: st.agent_id, task_id: { value: "metrics-task-0" }, uuid: st.uuid };
          expect((await session.call({ type: "ACKNOWLEDGE", acknowledge: ack })).status).toBe(202);
          if (st.state === "TASK_RUNNING") return true;
        }
        return false;
      },
      { timeoutMs: 30_000, intervalMs: 100, describe: async () => JSON.stringify(stream?.events) },
    );
    const updates = (stream.events ?? []).filter((e) => e.type === "UPDATE").length;
    // An acknowledgement naming an agent the master does not have is dropped and counted invalid.
    const [first] = acked;
    const stray = { agent_id: { value: "no-such-agent" }, task_id: { value: "metrics-task-0" }, uuid: first };
    expect((await session.call({ type: "ACKNOWLEDGE", acknowledge: stray })).status).toBe(202);

    const snapshot = JSON.parse(curl(mesos("/metrics/snapshot"))) as Record<string, number>;
    const p = `master/frameworks/metrics-e2e/${frameworkId}`;
    // Scenario S-76: the per-framework metrics of one ACCEPT with a LAUNCH and its ACKNOWLEDGEs.
    expect(snapshot[`${p}/subscribed`]).toBe(1);
    expect(snapshot[`${p}/calls/accept`]).toBe(1);
    expect(snapshot[`${p}/calls/acknowledge`]).toBe(acked.size + 1);
    expect(snapshot[`${p}/calls`]).toBe(2 + acked.size);
    expect(snapshot["master/valid_status_update_acknowledgements"]).toBe(acked.size);
    expect(snapshot["master/invalid_status_update_acknowledgements"]).toBe(1);
    expect(snapshot[`${p}/offers/accepted`]).toBe(1);
    expect(snapshot[`${p}/offers/sent`]).toBeGreaterThanOrEqual(1);
    expect(snapshot[`${p}/operations`]).toBe(1);
    expect(snapshot[`${p}/operations/launch`]).toBe(1);
    expect(snapshot[`${p}/events/update`]).toBe(updates);
    expect(snapshot[`${p}/tasks/active/task_running`]).toBe(1);
    expect(snapshot["master/elected"]).toBe(1);
    expect(snapshot["master/tasks_running"]).toBeGreaterThanOrEqual(1);
    expect(snapshot["master/tasks_failed"]).toBeGreaterThanOrEqual(1);
    expect(snapshot["allocator/mesos/allocation_runs"]).toBeGreaterThan(0);
  });

  it("curl of /metrics shows every metric of the issue", async () => {
    // Unanswered offers expire after --offer-timeout-seconds (4 s).
    await waitFor("an expired offer", async () =>
      curl(`http://127.0.0.1:${metricsPort}/metrics`).includes(
        'mesos_operator_offers_total{outcome="expired"',
      ),
    );
    // Cordoning a node rescinds the offers on it.
    for (const n of nodes)
      await c.core.patchNode({ name: n, body: { spec: { unschedulable: true } } }, mergePatch);
    await waitFor("a rescinded offer", async () =>
      curl(`http://127.0.0.1:${metricsPort}/metrics`).includes(
        'mesos_operator_offers_total{outcome="rescinded"',
      ),
    );
    const text = curl(`http://127.0.0.1:${metricsPort}/metrics`);
    const wanted: [what: string, pattern: RegExp][] = [
      [
        "allocation cycle histogram",
        /^mesos_operator_allocation_run_duration_seconds_bucket\{le="[^"]+",kind="batch"\} \d+/m,
      ],
      ...(["sent", "accepted", "declined", "rescinded", "expired"] as const).map((o): [string, RegExp] => [
        `offers ${o}`,
        new RegExp(`^mesos_operator_offers_total\\{outcome="${o}",[^}]*\\} [1-9]`, "m"),
      ]),
      ["tasks by state", /^mesos_operator_tasks\{state="TASK_RUNNING"\} [1-9]/m],
      [
        "tasks by reason",
        /^mesos_operator_task_status_updates_total\{state="TASK_FAILED",source="SOURCE_EXECUTOR",reason="REASON_[A-Z_]+"\} [1-9]/m,
      ],
      [
        "API calls by type and status",
        /^mesos_operator_api_requests_total\{api="scheduler",call="ACCEPT",code="202"\} 1$/m,
      ],
      [
        "API latency",
        /^mesos_operator_api_request_duration_seconds_count\{api="scheduler",call="ACKNOWLEDGE"\} [1-9]/m,
      ],
      ["work-queue depth", /^workqueue_depth\{name="task"\} \d+/m],
      ["work-queue retries", /^# TYPE workqueue_retries_total counter$/m],
      ["leader status", /^leader_election_master_status\{name="[^"]+"\} 1$/m],
    ];
    const missing = wanted.filter(([, re]) => !re.test(text)).map(([what]) => what);
    expect(
      missing,
      text
        .split("\n")
        .filter((l) => l.startsWith("mesos_operator"))
        .join("\n"),
    ).toEqual([]);
  });
});
