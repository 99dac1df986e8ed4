import { execFileSync } from "node:child_process";
import { EventsV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { EventRecorder } from "../../controllers/cluster/events.ts";
import { silentLogger } from "../../controllers/logging.ts";
import { kubeClients } from "./support/kube.ts";
import { tool } from "./support/paths.ts";

// Events recorded by the operator as a user sees them: with kubectl.
const c = kubeClients();
const ns = `events-${Date.now().toString(36)}`;

function kubectl(...args: string[]): string {
  return execFileSync(tool("kubectl"), ["--kubeconfig", inject("kubeconfig"), ...args], { encoding: "utf8" });
}

const EventListSchema = z.object({
  items: z.array(
    z.looseObject({
      reason: z.string().optional(),
      note: z.string().optional(),
      type: z.string().optional(),
      action: z.string().optional(),
      reportingController: z.string().optional(),
      reportingInstance: z.string().optional(),
      regarding: z.looseObject({
        kind: z.string().optional(),
        name: z.string().optional(),
        uid: z.string().optional(),
      }),
      series: z.object({ count: z.number() }).optional(),
    }),
  ),
});

let uid = "";

beforeAll(async () => {
  await c.core.createNamespace({ body: { metadata: { name: ns } } });
  const cm = await c.core.createNamespacedConfigMap({
    namespace: ns,
    body: { metadata: { name: "target" }, data: {} },
  });
  uid = cm.metadata?.uid ?? "";
});

afterAll(async () => {
  await c.core.deleteNamespace({ name: ns }).catch(() => undefined);
});

describe("Event recorder", () => {
  it("records Events on the involved object, visible with kubectl, repeats folded into one series", async () => {
    const recorder = new EventRecorder({
      events: c.kc.makeApiClient(EventsV1Api),
      controller: "mesos.operator.dev/mesos-operator",
      instance: "e2e-replica",
      log: silentLogger(),
      flushIntervalMs: 200,
    });
    const target = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "target", namespace: ns, uid } };
    const short = {
      type: "Warning",
      reason: "InsufficientResources",
      action: "Place",
      note: "cpus short by 2 on node-1",
    } as const;
    for (let i = 0; i < 3; i++) recorder.record(target, short);
    recorder.record(target, {
      type: "Normal",
      reason: "TaskRunning",
      action: "Launch",
      note: "task t1 is running",
    });
    recorder.record(target, {
      type: "Normal",
      reason: "TaskRunning",
      action: "Launch",
      note: "é".repeat(600),
    });
    await recorder.flush();
    // A repeat after the first flush still goes to the same series.
    recorder.record(target, short);
    await recorder.flush();
    await recorder.stop();

    const list = EventListSchema.parse(
      JSON.parse(kubectl("get", "events.events.k8s.io", "-n", ns, "-o", "json")),
    );
    const byReason = (r: string) => list.items.filter((e) => e.reason === r);
    const shortEvents = byReason("InsufficientResources");
    expect(shortEvents).toHaveLength(1);
    expect(shortEvents[0]?.series?.count).toBe(4);
    expect(shortEvents[0]).toMatchObject({
      type: "Warning",
      action: "Place",
      note: "cpus short by 2 on node-1",
      reportingController: "mesos.operator.dev/mesos-operator",
      reportingInstance: "e2e-replica",
      regarding: { kind: "ConfigMap", name: "target", uid },
    });
    const running = byReason("TaskRunning");
    expect(running).toHaveLength(2);
    // The 1 kB note limit is met by cutting on a character boundary.
    const long = running.find((e) => e.note?.startsWith("é"));
    expect(Buffer.byteLength(long?.note ?? "", "utf8")).toBeLessThanOrEqual(1024);
    expect(long?.note?.endsWith("...")).toBe(true);

    // What a user types: the human view lists them on the object.
    const human = kubectl("events", "-n", ns, "--for", "configmap/target");
    expect(human).toContain("InsufficientResources");
    expect(human).toContain("cpus short by 2 on node-1");
    expect(human).toContain("TaskRunning");
  });
});
