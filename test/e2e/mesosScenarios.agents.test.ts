// Scenarios §6.6 S-84 and S-86 (agent partitioned, then back) against the operator's Mesos API:
// the node stops heartbeating (kwok stops renewing its Lease), kube-controller-manager marks it
// unreachable after the grace period — the counterpart of Mesos's missed agent pings — and the
// master side follows semantics.md §4.10. S-88 (MARK_AGENT_GONE) is in mesosAgentGone.test.ts.
import { describe, expect, it } from "vitest";
import { markNodeUnreachable, restoreNode } from "./support/fakeNodes.ts";
import { operatorApiCall } from "./support/mesosOperator.ts";
import { mesosTestBed } from "./support/mesosTestBed.ts";
import { customResources } from "./support/operator.ts";
import { waitFor } from "./support/wait.ts";

const bed = mesosTestBed({ name: "mesos66" });
const { c, ns } = bed;
const node = `${ns}-a`;
const offers = customResources(c, "offers");

async function metrics(): Promise<Record<string, number>> {
  return (await (await fetch(`${bed.base}/metrics/snapshot`)).json()) as Record<string, number>;
}

async function masterState(): Promise<{
  unreachable_slaves: number;
  activated_slaves: number;
  frameworks: {
    unreachable_tasks: { id: string; state: string }[];
    tasks: { id: string; state: string }[];
  }[];
}> {
  return (await (await fetch(`${bed.base}/master/state`)).json()) as Awaited<ReturnType<typeof masterState>>;
}

describe("agent partitioned and back (scenarios §6.6)", () => {
  it("S-84/S-86: RESCIND and FAILURE{agent_id}, TASK_LOST with unreachable_time for a non-PA framework, agent metrics; after the partition heals TASK_RUNNING again and tasks_lost stays 1", async () => {
    await bed.addAgent("a");
    const session = (await bed.subscribe()).acknowledgeUpdates();
    const offer = await session.nextOffer();
    const agentId = offer.agent_id.value;
    // Half of the agent for the task; the rest comes back as an offer the framework holds.
    const afterLaunch = session.stream.events.length;
    expect(await session.launch([offer], [{ id: "survivor", cpus: 1, mem: 512 }], 0)).toBe(202);
    await session.update("survivor", "TASK_RUNNING");
    const held = await session.nextOffer(afterLaunch);
    expect(held.id).not.toEqual(offer.id);
    // An offer the scheduler holds becomes an Offer object (after 1 s outstanding), as both doors share one state.
    await waitFor("the held offer as an Offer object", async () =>
      ((await offers.list(ns)).items as { spec: { offerId: string } }[]).some(
        (o) => o.spec.offerId === held.id.value,
      ),
    );

    const beforePartition = session.stream.events.length;
    await markNodeUnreachable(c, node);
    const lost = await session.update("survivor", "TASK_LOST", 120_000);
    expect(lost).toMatchObject({ source: "SOURCE_MASTER", reason: "REASON_AGENT_REMOVED" });
    expect(lost.unreachable_time).toBeDefined();
    expect(lost.uuid).toBeUndefined();
    const since = session.stream.events.slice(beforePartition);
    expect(since.some((e) => e.type === "RESCIND")).toBe(true);
    const rescinded = since
      .filter((e) => e.type === "RESCIND")
      .map((e) => (e.rescind as { offer_id: { value: string } }).offer_id.value);
    expect(rescinded).toContain(held.id.value);
    await session.stream.waitFor(
      (e) =>
        e.type === "FAILURE" && (e.failure as { agent_id?: { value: string } }).agent_id?.value === agentId,
      { from: beforePartition, timeoutMs: 10_000 },
    );

    const partitioned = await metrics();
    expect(partitioned).toMatchObject({
      "master/slave_registrations": 1,
      "master/slave_unreachable_scheduled": 1,
      "master/slave_unreachable_completed": 1,
      "master/slave_removals": 1,
      "master/slave_removals/reason_unhealthy": 1,
      "master/slave_removals/reason_unregistered": 0,
      "master/slaves_unreachable": 1,
      "master/tasks_lost": 1,
    });
    const state = await masterState();
    expect(state.unreachable_slaves).toBe(1);
    expect(state.activated_slaves).toBe(0);
    expect(state.frameworks[0]?.unreachable_tasks.map((t) => t.id)).toEqual(["survivor"]);
    const agents = (await operatorApiCall(bed.base, { type: "GET_AGENTS" })).json as {
      get_agents: { agents?: unknown[] };
    };
    expect(agents.get_agents.agents ?? []).toEqual([]);

    // The partition heals: the agent re-registers, the task is running again.
    const beforeHeal = session.stream.events.length;
    await restoreNode(c, node);
    await session.stream.waitFor(
      (e) =>
        e.type === "UPDATE" &&
        (e.update as { status: { task_id: { value: string }; state: string } }).status.task_id.value ===
          "survivor" &&
        (e.update as { status: { state: string } }).status.state === "TASK_RUNNING",
      { from: beforeHeal, timeoutMs: 120_000 },
    );
    await waitFor(
      "the agent registered again",
      async () => {
        const m = await metrics();
        return m["master/slave_reregistrations"] === 1 && m["master/slaves_unreachable"] === 0;
      },
      { describe: async () => JSON.stringify(await metrics()) },
    );
    const healed = await metrics();
    expect(healed).toMatchObject({
      "master/tasks_lost": 1,
      "master/tasks_killed": 0,
      "master/tasks_running": 1,
    });
    const summary = (await (await fetch(`${bed.base}/master/state-summary`)).json()) as {
      frameworks: { TASK_RUNNING: number; TASK_LOST: number }[];
    };
    expect(summary.frameworks[0]).toMatchObject({ TASK_RUNNING: 1, TASK_LOST: 0 });
    const after = await masterState();
    expect(after.frameworks[0]?.unreachable_tasks).toEqual([]);
    expect(after.frameworks[0]?.tasks.map((t) => [t.id, t.state])).toEqual([["survivor", "TASK_RUNNING"]]);
  }, 300_000);
});
