// MARK_AGENT_GONE through the operator API against the operator process (semantics.md §3.2,
// scenario S-88): the agent's running task becomes TASK_GONE_BY_OPERATOR (REASON_AGENT_REMOVED_BY_
// OPERATOR) for a partition-aware framework and is listed among GET_STATE's completed tasks; the
// agent is never offered again; marking it again is 200; an unknown agent is 404.
import { beforeAll, describe, expect, it } from "vitest";
import { mesosTestBed } from "./support/mesosTestBed.ts";

const bed = mesosTestBed({ name: "gone" });
// The agent comes after the operator has started.
beforeAll(() => bed.addAgent("a"));

const operatorCall = (body: object) => bed.operatorCall(body);

describe("MARK_AGENT_GONE", () => {
  it("S-88: the task is TASK_GONE_BY_OPERATOR, in completed tasks; the agent is gone for good", async () => {
    const session = (
      await bed.subscribe({
        capabilities: [{ type: "MULTI_ROLE" }, { type: "PARTITION_AWARE" }],
      })
    ).acknowledgeUpdates();
    const offer = await session.nextOffer();
    expect(await session.launch([offer], [{ id: "on-gone-agent", cpus: 0.5, mem: 64 }])).toBe(202);
    await session.update("on-gone-agent", "TASK_RUNNING");

    const unknown = await operatorCall({
      type: "MARK_AGENT_GONE",
      mark_agent_gone: { agent_id: { value: "nope-S0" } },
    });
    expect(unknown.status).toBe(404);
    const marked = await operatorCall({
      type: "MARK_AGENT_GONE",
      mark_agent_gone: { agent_id: offer.agent_id },
    });
    expect(marked.status, marked.text).toBe(200);

    const gone = await session.update("on-gone-agent", "TASK_GONE_BY_OPERATOR");
    expect(gone.reason).toBe("REASON_AGENT_REMOVED_BY_OPERATOR");
    expect(gone.source).toBe("SOURCE_MASTER");
    // Idempotent.
    expect(
      (await operatorCall({ type: "MARK_AGENT_GONE", mark_agent_gone: { agent_id: offer.agent_id } })).status,
    ).toBe(200);

    const state = JSON.parse((await operatorCall({ type: "GET_STATE" })).text) as {
      get_state: {
        get_tasks: { completed_tasks?: { task_id: { value: string }; state: string }[] };
        get_agents: { agents?: { agent_info: { id: { value: string } } }[] };
      };
    };
    expect(state.get_state.get_tasks.completed_tasks).toContainEqual(
      expect.objectContaining({ task_id: { value: "on-gone-agent" }, state: "TASK_GONE_BY_OPERATOR" }),
    );
    expect((state.get_state.get_agents.agents ?? []).map((a) => a.agent_info.id.value)).not.toContain(
      offer.agent_id.value,
    );
    // Never offered again: REVIVE, and no offer from that agent comes.
    const from = session.stream.events.length;
    expect((await session.call({ type: "REVIVE", revive: {} })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 2500));
    expect(session.offersSince(from).filter((o) => o.agent_id.value === offer.agent_id.value)).toEqual([]);
  });
});
