// Agent draining through the operator API against the operator process (Mesos 1.9+
// DRAIN_AGENT; docs/maintenance.md "Automatic Node Draining"; src/tests/master_draining_tests.cpp
// MasterDrainingTest.DrainAgent / DrainAgentMarkGone): the drained agent is deactivated (node
// cordoned, no offers), its task is killed with TASK_KILLING / TASK_KILLED carrying
// REASON_AGENT_DRAINING, GET_AGENTS shows drain_info DRAINING until the terminal update is
// acknowledged and DRAINED after; REACTIVATE_AGENT is refused while DRAINING and brings the
// agent's offers back once DRAINED. With mark_gone a partition-aware framework's task ends
// TASK_GONE_BY_OPERATOR and the agent is marked gone. The drain is kept on the Node: a new leader
// continues it.
import { describe, expect, it } from "vitest";
import type { StreamedEvent } from "../../controllers/mesos-api/testing/eventStreamClient.ts";
import type { MesosOffer, SchedulerSession } from "./support/mesosScheduler.ts";
import { mesosTestBed } from "./support/mesosTestBed.ts";
import { waitFor } from "./support/wait.ts";

const acking: NodeJS.Timeout[] = [];
const bed = mesosTestBed({
  name: "drain",
  agents: { "1": {}, "2": {} },
  beforeTearDown: () => {
    for (const a of acking) clearInterval(a);
  },
});
const c = bed.c;
const node1 = `${bed.ns}-1`;
const node2 = `${bed.ns}-2`;
let session: SchedulerSession | undefined;
/** uuids of updates the test holds back from acknowledging. */
const held = new Set<string>();

const operatorCall = (body: object) => bed.operatorCall(body);
const agentIdOf = async (name: string) => `${(await c.core.readNode({ name })).metadata?.uid}-S0`;

interface AgentView {
  agent_info: { id: { value: string } };
  active: boolean;
  deactivated?: boolean;
  drain_info?: { state: string; config: { mark_gone?: boolean; max_grace_period?: { nanoseconds: number } } };
  estimated_drain_start_time?: { nanoseconds: number };
}

async function agentView(agentId: string): Promise<AgentView | undefined> {
  const res = await operatorCall({ type: "GET_AGENTS" });
  const agents = (res.json as { get_agents: { agents?: AgentView[] } }).get_agents.agents ?? [];
  return agents.find((a) => a.agent_info.id.value === agentId);
}

interface UpdateStatus {
  task_id: { value: string };
  agent_id: { value: string };
  state: string;
  reason?: string;
  uuid?: string;
}
const statusOf = (e: StreamedEvent) => (e.update as { status: UpdateStatus }).status;

/** Acknowledges every update with a uuid, except the TASK_KILLED ones while `holdKilled`. */
function acknowledgeAll(s: SchedulerSession, holdKilled: () => boolean): void {
  const done = new Set<string>();
  const interval = setInterval(() => {
    for (const e of s.stream.events) {
      if (e.type !== "UPDATE") continue;
      const st = statusOf(e);
      if (st.uuid === undefined || done.has(st.uuid)) continue;
      if (st.state === "TASK_KILLED" && holdKilled()) {
        held.add(st.uuid);
        continue;
      }
      done.add(st.uuid);
      void s
        .call({
          type: "ACKNOWLEDGE",
          acknowledge: { agent_id: st.agent_id, task_id: st.task_id, uuid: st.uuid },
        })
        .catch(() => undefined);
    }
  }, 100);
  acking.push(interval);
}

/** An offer from `agentId` still outstanding on the stream, waiting for one if need be. */
async function offerFrom(s: SchedulerSession, agentId: string): Promise<MesosOffer> {
  return waitFor(`an outstanding offer from ${agentId}`, async () => {
    const outstanding = new Map<string, MesosOffer>();
    for (const e of s.stream.events) {
      if (e.type === "OFFERS")
        for (const o of (e.offers as { offers: MesosOffer[] }).offers) outstanding.set(o.id.value, o);
      if (e.type === "RESCIND")
        outstanding.delete((e.rescind as { offer_id: { value: string } }).offer_id.value);
    }
    return [...outstanding.values()].reverse().find((o) => o.agent_id.value === agentId);
  });
}

describe("DRAIN_AGENT", () => {
  let holdKilled = true;

  it("kills the agent's task (REASON_AGENT_DRAINING), DRAINING until acknowledged, then DRAINED; REACTIVATE brings offers back", async () => {
    session = await bed.subscribe({
      capabilities: [{ type: "MULTI_ROLE" }, { type: "TASK_KILLING_STATE" }, { type: "PARTITION_AWARE" }],
    });
    acknowledgeAll(session, () => holdKilled);
    const agent1 = await agentIdOf(node1);
    const offer = await offerFrom(session, agent1);
    expect(await session.launch([offer], [{ id: "drained-task", cpus: 0.5, mem: 64 }])).toBe(202);
    await session.update("drained-task", "TASK_RUNNING");

    const unknown = await operatorCall({
      type: "DRAIN_AGENT",
      drain_agent: { agent_id: { value: "nope-S0" } },
    });
    expect([unknown.status, unknown.text]).toEqual([400, "Unknown agent"]);

    const drain = {
      type: "DRAIN_AGENT",
      drain_agent: { agent_id: { value: agent1 }, max_grace_period: "5s" },
    };
    const drained = await operatorCall(drain);
    expect(drained.status, drained.text).toBe(200);
    expect((await c.core.readNode({ name: node1 })).spec?.unschedulable).toBe(true);

    const killing = await session.update("drained-task", "TASK_KILLING");
    expect(killing.reason).toBe("REASON_AGENT_DRAINING");
    const killed = await session.update("drained-task", "TASK_KILLED");
    expect([killed.reason, killed.source]).toEqual(["REASON_AGENT_DRAINING", "SOURCE_AGENT"]);

    // The terminal update is not acknowledged yet: the agent is still DRAINING.
    const draining = await agentView(agent1);
    expect(draining).toMatchObject({
      active: false,
      deactivated: true,
      drain_info: { state: "DRAINING", config: { mark_gone: false, max_grace_period: { nanoseconds: 5e9 } } },
    });
    expect(draining?.estimated_drain_start_time?.nanoseconds).toBeGreaterThan(0);
    const refused = await operatorCall({
      type: "REACTIVATE_AGENT",
      reactivate_agent: { agent_id: { value: agent1 } },
    });
    expect([refused.status, refused.text]).toEqual([400, "Agent is still in the DRAINING state"]);

    holdKilled = false;
    for (const uuid of held)
      await session.call({
        type: "ACKNOWLEDGE",
        acknowledge: { agent_id: { value: agent1 }, task_id: { value: "drained-task" }, uuid },
      });
    await waitFor(
      "DRAINED in GET_AGENTS",
      async () => (await agentView(agent1))?.drain_info?.state === "DRAINED",
    );
    const state = (await (await fetch(`${bed.base}/master/slaves`)).json()) as {
      slaves: { id: string; drain_info?: { state: string }; deactivated: boolean; active: boolean }[];
    };
    expect(state.slaves.find((s) => s.id === agent1)).toMatchObject({
      drain_info: { state: "DRAINED" },
      deactivated: true,
      active: false,
    });

    // No offers from a drained agent.
    const from = session.stream.events.length;
    expect((await session.call({ type: "REVIVE", revive: {} })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 2500));
    expect(session.offersSince(from).filter((o) => o.agent_id.value === agent1)).toEqual([]);

    // Draining again is accepted and ends DRAINED again (nothing left to kill).
    expect((await operatorCall(drain)).status).toBe(200);
    await waitFor("DRAINED again", async () => (await agentView(agent1))?.drain_info?.state === "DRAINED");

    const beforeReactivate = session.stream.events.length;
    const reactivated = await operatorCall({
      type: "REACTIVATE_AGENT",
      reactivate_agent: { agent_id: { value: agent1 } },
    });
    expect(reactivated.status, reactivated.text).toBe(200);
    const back = await agentView(agent1);
    expect(back?.drain_info).toBeUndefined();
    expect(back?.active).toBe(true);
    await waitFor("an offer from the reactivated agent", async () =>
      session?.offersSince(beforeReactivate).some((o) => o.agent_id.value === agent1),
    );
  });

  it("with mark_gone: TASK_GONE_BY_OPERATOR for a partition-aware framework, then the agent is gone", async () => {
    const s = session!;
    const agent2 = await agentIdOf(node2);
    const offer = await offerFrom(s, agent2);
    expect(await s.launch([offer], [{ id: "gone-task", cpus: 0.5, mem: 64 }])).toBe(202);
    await s.update("gone-task", "TASK_RUNNING");
    const from = s.stream.events.length;
    const res = await operatorCall({
      type: "DRAIN_AGENT",
      drain_agent: { agent_id: { value: agent2 }, max_grace_period: { seconds: 1 }, mark_gone: true },
    });
    expect(res.status, res.text).toBe(200);
    const gone = await s.update("gone-task", "TASK_GONE_BY_OPERATOR");
    expect(gone.reason).toBe("REASON_AGENT_DRAINING");
    // One terminal update, no TASK_KILLING before it.
    expect(
      s.stream.events
        .slice(from)
        .filter((e) => e.type === "UPDATE" && statusOf(e).task_id.value === "gone-task")
        .map((e) => statusOf(e).state),
    ).toEqual(["TASK_GONE_BY_OPERATOR"]);
    await waitFor("the agent gone from GET_AGENTS", async () => (await agentView(agent2)) === undefined);
    const annotations = (await c.core.readNode({ name: node2 })).metadata?.annotations ?? {};
    expect(annotations["mesos.operator.dev/agent-gone"]).toBeDefined();
    expect(annotations["mesos.operator.dev/drain"]).toBeUndefined();
    // A gone agent cannot be drained again.
    const again = await operatorCall({ type: "DRAIN_AGENT", drain_agent: { agent_id: { value: agent2 } } });
    expect([again.status, again.text]).toEqual([400, "Unknown agent"]);
  });
  it("a drain survives an operator restart: still DRAINING, DRAINED once the re-subscribed framework acknowledges", async () => {
    // The earlier framework would take the new agent's offer.
    await bed.teardownSessions();
    const node3 = await bed.addAgent("3");
    const agent3 = await agentIdOf(node3);
    const info = {
      failover_timeout: 3600,
      capabilities: [{ type: "MULTI_ROLE" }, { type: "TASK_KILLING_STATE" }],
    };
    const first = await bed.subscribe(info);
    acknowledgeAll(first, () => true);
    const offer = await offerFrom(first, agent3);
    expect(await first.launch([offer], [{ id: "failover-task", cpus: 0.5, mem: 64 }])).toBe(202);
    await first.update("failover-task", "TASK_RUNNING");
    const res = await operatorCall({ type: "DRAIN_AGENT", drain_agent: { agent_id: { value: agent3 } } });
    expect(res.status, res.text).toBe(200);
    expect((await first.update("failover-task", "TASK_KILLED")).reason).toBe("REASON_AGENT_DRAINING");

    await bed.restartOperator();
    // Read back from the Node by the new leader: still DRAINING (the TASK_KILLED is unacknowledged).
    await waitFor("the drain after the restart", async () => {
      const view = await agentView(agent3);
      return view?.drain_info?.state === "DRAINING" && view.deactivated === true;
    });
    const again = await bed.subscribe({ ...info, id: { value: first.frameworkId } });
    acknowledgeAll(again, () => false);
    await again.update("failover-task", "TASK_KILLED");
    await waitFor(
      "DRAINED after the acknowledgement",
      async () => (await agentView(agent3))?.drain_info?.state === "DRAINED",
    );
  });
});
