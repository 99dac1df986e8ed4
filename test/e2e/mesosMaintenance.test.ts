// Maintenance primitives and agent (de)activation through the operator API against the operator
// process (semantics.md §3.6, §4.9; scenario S-90; Mesos MasterMaintenanceTest): a schedule makes
// machines DRAINING — offers carry the unavailability and frameworks holding resources there get
// one inverse offer per agent; answers show in GET_MAINTENANCE_STATUS; START_MAINTENANCE takes
// the machine DOWN (node cordoned, agent removed, its task TASK_LOST), STOP_MAINTENANCE brings it
// back; DEACTIVATE/REACTIVATE_AGENT cordon and uncordon the node.
import { beforeAll, describe, expect, it } from "vitest";
import type { StreamedEvent } from "../../controllers/mesos-api/testing/eventStreamClient.ts";
import { mergePatch } from "./support/kube.ts";
import type { MesosOffer, SchedulerSession } from "./support/mesosScheduler.ts";
import { mesosTestBed } from "./support/mesosTestBed.ts";
import { waitFor } from "./support/wait.ts";

const bed = mesosTestBed({
  name: "maint",
  // The schedule is cleared while the operator still runs (it un-annotates and uncordons the nodes).
  beforeTearDown: async () => {
    await operatorCall({
      type: "UPDATE_MAINTENANCE_SCHEDULE",
      update_maintenance_schedule: { schedule: {} },
    }).catch(() => undefined);
  },
});
const { c } = bed;
const node1 = `${bed.ns}-1`;
const node2 = `${bed.ns}-2`;
// The agents come after the operator has started.
beforeAll(async () => {
  await bed.addAgent("1");
  await bed.addAgent("2");
});
let session: SchedulerSession | undefined;

const operatorCall = (body: object) => bed.operatorCall(body);
// An hour from now, for an hour (nanoseconds).
const unavailability = {
  start: { nanoseconds: (Date.now() + 3600_000) * 1e6 },
  duration: { nanoseconds: 3600e9 },
};
const machine1 = { hostname: node1 };
const machine2 = { hostname: node2 };

interface InverseOffer {
  id: { value: string };
  agent_id: { value: string };
  framework_id: { value: string };
  unavailability: typeof unavailability;
  resources: unknown[];
}

const inverseOffersSince = (s: SchedulerSession, from: number): InverseOffer[] =>
  s.stream.events
    .slice(from)
    .filter((e) => e.type === "INVERSE_OFFERS")
    .flatMap((e) => (e.inverse_offers as { inverse_offers: InverseOffer[] }).inverse_offers);

async function agentsState(): Promise<
  { agent_info: { id: { value: string } }; active: boolean; deactivated?: boolean }[]
> {
  const res = await operatorCall({ type: "GET_AGENTS" });
  return (res.json as { get_agents: { agents?: [] } }).get_agents.agents ?? [];
}

async function maintenanceStatus() {
  const res = await operatorCall({ type: "GET_MAINTENANCE_STATUS" });
  expect(res.status, res.text).toBe(200);
  return (
    res.json as {
      get_maintenance_status: {
        status: {
          draining_machines?: {
            id: object;
            statuses?: { status: string; framework_id: { value: string } }[];
          }[];
          down_machines?: object[];
        };
      };
    }
  ).get_maintenance_status.status;
}

const unschedulable = async (name: string) => (await c.core.readNode({ name })).spec?.unschedulable === true;

describe("maintenance primitives", () => {
  it("S-90: one inverse offer, for the agent holding the task; answers in the status; DOWN and UP", async () => {
    session = (await bed.subscribe()).acknowledgeUpdates();
    const s = session;
    const byAgent = await waitFor("offers from both agents", async () => {
      const m = new Map<string, MesosOffer>();
      for (const o of s.offersSince(0)) m.set(o.hostname, o);
      return m.size >= 2 ? m : undefined;
    });
    const o1 = byAgent.get(node1)!;
    const o2 = byAgent.get(node2)!;
    expect(await s.launch([o1], [{ id: "on-agent-1", cpus: 0.5, mem: 64 }])).toBe(202);
    await s.update("on-agent-1", "TASK_RUNNING");
    // Declined for a day: the framework holds nothing on agent 2.
    expect(await s.decline([o2.id], 86400)).toBe(202);

    const from = s.stream.events.length;
    const schedule = { windows: [{ machine_ids: [machine1, machine2], unavailability }] };
    const updated = await operatorCall({
      type: "UPDATE_MAINTENANCE_SCHEDULE",
      update_maintenance_schedule: { schedule },
    });
    expect(updated.status, updated.text).toBe(200);

    await s.stream.waitFor("INVERSE_OFFERS", { from, timeoutMs: 20_000 });
    // What else a few allocation cycles bring: still that one inverse offer, none for agent 2.
    await new Promise((r) => setTimeout(r, 3000));
    const inverse = inverseOffersSince(s, from);
    expect(inverse).toHaveLength(1);
    expect(inverse[0]).toMatchObject({
      agent_id: o1.agent_id,
      framework_id: { value: s.frameworkId },
      resources: [],
      unavailability,
    });
    // Offers from a draining machine carry the unavailability (the one outstanding before the
    // schedule, if any, is rescinded and made again).
    const drainingOffer = (await waitFor("an offer from agent 1 with the unavailability", async () =>
      s
        .offersSince(from)
        .find(
          (o) =>
            o.agent_id.value === o1.agent_id.value &&
            (o as { unavailability?: unknown }).unavailability !== undefined,
        ),
    )) as MesosOffer & { unavailability?: unknown };
    expect(drainingOffer.unavailability).toEqual(unavailability);

    const got = await operatorCall({ type: "GET_MAINTENANCE_SCHEDULE" });
    expect(got.json).toEqual({ type: "GET_MAINTENANCE_SCHEDULE", get_maintenance_schedule: { schedule } });
    const before = await maintenanceStatus();
    expect(before.draining_machines?.map((m) => m.id)).toEqual([machine1, machine2]);
    expect(before.draining_machines?.flatMap((m) => m.statuses ?? [])).toEqual([]);

    // Outstanding, it is listed with the framework (GET_FRAMEWORKS.inverse_offers).
    const frameworks = (await operatorCall({ type: "GET_FRAMEWORKS" })).json as {
      get_frameworks: {
        frameworks: { framework_info: { id: { value: string } }; inverse_offers?: InverseOffer[] }[];
      };
    };
    const mine = frameworks.get_frameworks.frameworks.find(
      (f) => f.framework_info.id.value === s.frameworkId,
    );
    expect(mine?.inverse_offers?.map((io) => io.id)).toEqual([inverse[0]!.id]);

    const declined = await s.call({
      type: "DECLINE_INVERSE_OFFERS",
      decline_inverse_offers: { inverse_offer_ids: [inverse[0]!.id], filters: { refuse_seconds: 3600 } },
    });
    expect(declined.status).toBe(202);
    const answered = await waitFor("the DECLINE in the maintenance status", async () => {
      const st = await maintenanceStatus();
      const statuses = st.draining_machines?.find(
        (m) => JSON.stringify(m.id) === JSON.stringify(machine1),
      )?.statuses;
      return statuses !== undefined && statuses.length > 0 ? statuses : undefined;
    });
    expect(answered).toEqual([
      expect.objectContaining({ status: "DECLINE", framework_id: { value: s.frameworkId } }),
    ]);

    // A DOWN machine cannot leave the schedule; only DRAINING machines go down.
    const downFrom = s.stream.events.length;
    const down = await operatorCall({
      type: "START_MAINTENANCE",
      start_maintenance: { machines: [machine1] },
    });
    expect(down.status, down.text).toBe(200);
    // The agent is removed: its frameworks hear FAILURE{agent_id}; one removal, no reason counted.
    await s.stream.waitFor(
      (e: StreamedEvent) =>
        e.type === "FAILURE" &&
        (e.failure as { agent_id?: { value: string } }).agent_id?.value === o1.agent_id.value,
      { from: downFrom, timeoutMs: 20_000 },
    );
    const metrics = (await (await fetch(`${bed.base}/metrics/snapshot`)).json()) as Record<string, number>;
    expect([metrics["master/slave_removals"], metrics["master/slave_removals/reason_unregistered"]]).toEqual([
      1, 0,
    ]);
    const lost = await s.update("on-agent-1", "TASK_LOST");
    expect(lost).toMatchObject({ source: "SOURCE_MASTER", reason: "REASON_AGENT_REMOVED" });
    expect(await unschedulable(node1)).toBe(true);
    await waitFor("agent 1 gone from GET_AGENTS", async () =>
      (await agentsState()).every((a) => a.agent_info.id.value !== o1.agent_id.value),
    );
    expect((await maintenanceStatus()).down_machines).toEqual([machine1]);
    const again = await operatorCall({
      type: "START_MAINTENANCE",
      start_maintenance: { machines: [machine1] },
    });
    expect(again.status).toBe(400);
    expect(again.text).toBe(
      `Machine '{"hostname":"${node1}"}' is not in DRAINING mode and cannot be brought down`,
    );
    const dropDown = await operatorCall({
      type: "UPDATE_MAINTENANCE_SCHEDULE",
      update_maintenance_schedule: { schedule: { windows: [{ machine_ids: [machine2], unavailability }] } },
    });
    expect(dropDown.status).toBe(400);
    expect(dropDown.text).toBe(
      `Machine 'hostname: "${node1}"\n' is deactivated and cannot be removed from the schedule`,
    );

    // UP again: uncordoned, an agent again, offered without unavailability, out of the schedule.
    const upFrom = s.stream.events.length;
    const up = await operatorCall({ type: "STOP_MAINTENANCE", stop_maintenance: { machines: [machine1] } });
    expect(up.status, up.text).toBe(200);
    const back = (await waitFor("an offer from agent 1 again", async () =>
      s.offersSince(upFrom).find((o) => o.agent_id.value === o1.agent_id.value),
    )) as MesosOffer & { unavailability?: unknown };
    expect(back.unavailability).toBeUndefined();
    expect(await unschedulable(node1)).toBe(false);
    expect((await operatorCall({ type: "GET_MAINTENANCE_SCHEDULE" })).json).toEqual({
      type: "GET_MAINTENANCE_SCHEDULE",
      get_maintenance_schedule: { schedule: { windows: [{ machine_ids: [machine2], unavailability }] } },
    });
  });

  it("refuses invalid schedules and machine lists with Mesos's messages", async () => {
    const cases: [object, string][] = [
      [
        {
          type: "UPDATE_MAINTENANCE_SCHEDULE",
          update_maintenance_schedule: { schedule: { windows: [{ machine_ids: [], unavailability }] } },
        },
        "List of machines in the maintenance window is empty",
      ],
      [
        {
          type: "UPDATE_MAINTENANCE_SCHEDULE",
          update_maintenance_schedule: { schedule: { windows: [{ machine_ids: [{}], unavailability }] } },
        },
        "Both 'hostname' and 'ip' for a machine are empty",
      ],
      [{ type: "START_MAINTENANCE", start_maintenance: { machines: [] } }, "List of machines is empty"],
      [
        { type: "STOP_MAINTENANCE", stop_maintenance: { machines: [{ hostname: "nowhere" }] } },
        `Machine '{"hostname":"nowhere"}' is not part of a maintenance schedule`,
      ],
    ];
    for (const [body, message] of cases) {
      const res = await operatorCall(body);
      expect([res.status, res.text]).toEqual([400, message]);
    }
  });
});

describe("DEACTIVATE_AGENT / REACTIVATE_AGENT", () => {
  it("cordons the node: offers rescinded, none made, the agent deactivated; REACTIVATE brings it back", async () => {
    const s = session!;
    // The schedule is cleared first so the offers from agent 2 are plain ones.
    await operatorCall({
      type: "UPDATE_MAINTENANCE_SCHEDULE",
      update_maintenance_schedule: { schedule: {} },
    });
    const from = s.stream.events.length;
    expect((await s.call({ type: "REVIVE", revive: {} })).status).toBe(202);
    const offer = await waitFor("an offer from agent 2", async () =>
      s.offersSince(from).find((o) => o.hostname === node2),
    );
    const id = offer.agent_id;

    const notDeactivated = await operatorCall({
      type: "REACTIVATE_AGENT",
      reactivate_agent: { agent_id: id },
    });
    expect([notDeactivated.status, notDeactivated.text]).toEqual([400, "Agent is not deactivated"]);
    const unknown = await operatorCall({
      type: "DEACTIVATE_AGENT",
      deactivate_agent: { agent_id: { value: "nope-S0" } },
    });
    expect([unknown.status, unknown.text]).toEqual([400, "Unknown agent"]);

    const deactivated = await operatorCall({ type: "DEACTIVATE_AGENT", deactivate_agent: { agent_id: id } });
    expect(deactivated.status, deactivated.text).toBe(200);
    await s.stream.waitFor(
      (e: StreamedEvent) =>
        e.type === "RESCIND" &&
        (e.rescind as { offer_id: { value: string } }).offer_id.value === offer.id.value,
      { from, timeoutMs: 20_000 },
    );
    expect(await unschedulable(node2)).toBe(true);
    const view = await waitFor("agent 2 deactivated in GET_AGENTS", async () =>
      (await agentsState()).find((a) => a.agent_info.id.value === id.value && a.deactivated === true),
    );
    expect(view.active).toBe(false);

    const reFrom = s.stream.events.length;
    const reactivated = await operatorCall({ type: "REACTIVATE_AGENT", reactivate_agent: { agent_id: id } });
    expect(reactivated.status, reactivated.text).toBe(200);
    const again = await waitFor("an offer from agent 2 after REACTIVATE_AGENT", async () =>
      s.offersSince(reFrom).find((o) => o.agent_id.value === id.value),
    );
    expect(await unschedulable(node2)).toBe(false);

    // `kubectl cordon` of a node with a running task: its framework gets an inverse offer for the
    // agent (no duration), and a RESCIND_INVERSE_OFFER when the node is uncordoned unanswered.
    expect(await s.launch([again], [{ id: "on-agent-2", cpus: 0.5, mem: 64 }])).toBe(202);
    await s.update("on-agent-2", "TASK_RUNNING");
    const cordonFrom = s.stream.events.length;
    await c.core.patchNode({ name: node2, body: { spec: { unschedulable: true } } }, mergePatch);
    await s.stream.waitFor("INVERSE_OFFERS", { from: cordonFrom, timeoutMs: 20_000 });
    const [io] = inverseOffersSince(s, cordonFrom);
    expect(io).toMatchObject({ agent_id: id, framework_id: { value: s.frameworkId }, resources: [] });
    expect(io!.unavailability.start.nanoseconds).toBeGreaterThan(0);
    expect(io!.unavailability.duration).toBeUndefined();
    await c.core.patchNode({ name: node2, body: { spec: { unschedulable: null } } }, mergePatch);
    await s.stream.waitFor(
      (e: StreamedEvent) =>
        e.type === "RESCIND_INVERSE_OFFER" &&
        (e.rescind_inverse_offer as { inverse_offer_id: { value: string } }).inverse_offer_id.value ===
          io!.id.value,
      { from: cordonFrom, timeoutMs: 20_000 },
    );
  });
});

describe("persistence", () => {
  it("the schedule and the machines' modes survive an operator restart", async () => {
    const schedule = { windows: [{ machine_ids: [machine2], unavailability }] };
    const set = await operatorCall({
      type: "UPDATE_MAINTENANCE_SCHEDULE",
      update_maintenance_schedule: { schedule },
    });
    expect(set.status, set.text).toBe(200);
    await bed.restartOperator();
    expect((await operatorCall({ type: "GET_MAINTENANCE_SCHEDULE" })).json).toEqual({
      type: "GET_MAINTENANCE_SCHEDULE",
      get_maintenance_schedule: { schedule },
    });
    const status = await maintenanceStatus();
    expect(status.draining_machines?.map((m) => m.id)).toEqual([machine2]);
    expect(status.down_machines ?? []).toEqual([]);
    // The v0 endpoint reads the same schedule.
    expect(await (await fetch(`${bed.base}/master/maintenance/schedule`)).json()).toEqual(schedule);
  });
});
