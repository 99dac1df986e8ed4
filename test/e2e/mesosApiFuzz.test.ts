// Issue #6: at least 5,000 random and malformed calls to the Mesos API of the operator process
// (the cluster-backed façade, not the in-memory one): no crash, no 5xx but Mesos's own 501s, the
// operator still healthy, and the cluster state unchanged. The calls are those of the unit fuzz
// (controllers/mesos-api/testing/fuzzCalls.ts) minus the ones whose success is meant to change
// state (SUBSCRIBE, the operator API's change calls: they are replaced by GET_STATE); calls name
// an unknown framework, a registered one whose stream is gone, or a subscribed one with a wrong
// stream id — each must be refused without touching anything.
import { Agent } from "node:http";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { EventStreamClient } from "../../controllers/mesos-api/testing/eventStreamClient.ts";
import {
  BACKEND_DECIDED,
  callType,
  type FuzzRequest,
  fuzzRequest,
  NOT_IMPLEMENTED_CALLS,
  send,
} from "../../controllers/mesos-api/testing/fuzzCalls.ts";
import { mesosTestBed } from "./support/mesosTestBed.ts";
import { customResources } from "./support/operator.ts";
import { waitFor } from "./support/wait.ts";

const RUNS = 5000;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
let subscribed: EventStreamClient | undefined;
let subscribedId = "";
let disconnectedId = "";
// No agents: no offers come and go during the run.
const bed = mesosTestBed({
  name: "fuzz",
  flags: ["--log-level", "warn"],
  beforeTearDown: () => {
    agent.destroy();
    subscribed?.close();
  },
});
const { c, ns } = bed;

const base = () => bed.base;

async function subscribe(name: string): Promise<{ stream: EventStreamClient; id: string }> {
  const stream = await EventStreamClient.open(base(), {
    type: "SUBSCRIBE",
    subscribe: { framework_info: { user: "fuzz", name, roles: ["*"], failover_timeout: 3600 } },
  });
  const event = await stream.waitFor("SUBSCRIBED", { timeoutMs: 10_000 });
  return { stream, id: (event.subscribed as { framework_id: { value: string } }).framework_id.value };
}

/** Everything a call could change: our objects (all namespaces), Roles, pods of the namespace. */
/**
 * The Mesos objects of the whole cluster (the fuzz must not change any namespace's), except those
 * in namespaces an earlier test file is still deleting: they vanish on their own meanwhile.
 */
async function clusterDigest(ignoredNamespaces: ReadonlySet<string>): Promise<string> {
  const strip = (items: unknown[]) =>
    (items as { metadata: { namespace?: string; name: string; generation?: number }; spec?: unknown }[])
      .filter((o) => !ignoredNamespaces.has(o.metadata.namespace ?? ""))
      .map((o) => [o.metadata.namespace, o.metadata.name, o.metadata.generation, o.spec])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const all = async (plural: string) =>
    (
      (await c.custom.listClusterCustomObject({
        group: "mesos.operator.dev",
        version: "v1alpha1",
        plural,
      })) as {
        items: unknown[];
      }
    ).items;
  const pods = await c.core.listNamespacedPod({ namespace: ns });
  return JSON.stringify({
    frameworks: strip(await all("frameworks")),
    tasks: strip(await all("tasks")),
    offers: strip(await all("offers")),
    roles: strip(await all("roles")),
    pods: pods.items.map((p) => p.metadata?.name).sort(),
  });
}

/** The request with state-changing calls swapped for a read. */
function harmless(r: FuzzRequest): FuzzRequest {
  const type = String(callType(r.body));
  if (type === "SUBSCRIBE" || BACKEND_DECIDED.has(type))
    return { ...r, body: JSON.stringify({ type: "GET_STATE" }) };
  return r;
}

beforeAll(async () => {
  const gone = await subscribe("fuzz-gone");
  disconnectedId = gone.id;
  gone.stream.close();
  const live = await subscribe("fuzz-live");
  subscribed = live.stream;
  subscribedId = live.id;
  // Let the reconcilers settle the two Framework objects before taking the digest.
  await waitFor("both frameworks settled", async () => {
    const list = (await customResources(c, "frameworks").list(ns)).items as { status?: { phase?: string } }[];
    return list.length === 2 && list.every((f) => f.status?.phase !== undefined);
  });
  await new Promise((r) => setTimeout(r, 1000));
});

describe("fuzzing the operator's Mesos API", () => {
  it(`survives ${RUNS} random and malformed calls: no 5xx, nothing in the cluster changes`, async () => {
    const terminating = new Set(
      (await c.core.listNamespace()).items
        .filter((n) => n.status?.phase === "Terminating")
        .map((n) => n.metadata?.name ?? ""),
    );
    const before = await clusterDigest(terminating);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (raw) => {
        const r = harmless({ ...raw, streamId: raw.frameworkId === "subscribed" ? "random" : raw.streamId });
        const answer = await send(base(), agent, r, {
          subscribed: subscribedId,
          disconnected: disconnectedId,
          unknown: "nobody-0000",
          streamId: subscribed?.streamId ?? "",
        });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status >= 500) {
          expect(answer.status, answer.body).toBe(501);
          expect(NOT_IMPLEMENTED_CALLS.has(String(callType(r.body)))).toBe(true);
        }
      }),
      { numRuns: RUNS, seed: 20261125 },
    );
    expect(bed.operator.process.child.exitCode).toBeNull();
    expect((await fetch(`${base()}/health`)).status).toBe(200);
    expect(await clusterDigest(terminating)).toBe(before);
    // Both paths were exercised: refusals and answers.
    for (const status of [200, 400, 403, 405, 415]) expect(statuses.get(status) ?? 0).toBeGreaterThan(0);
    expect(bed.operator.process.output()).not.toMatch(/"level":"(error|fatal)"/);
  }, 300_000);
});
