// The operator API's event stream against the operator process (scenarios S-94, S-96; semantics.md
// §3.3): SUBSCRIBED with heartbeat_interval_seconds 15 then HEARTBEAT; AGENT_ADDED when a node
// becomes an agent and AGENT_REMOVED with the same ID when it goes; FRAMEWORK_ADDED for a
// subscribing scheduler, TASK_ADDED and TASK_UPDATED for its task, FRAMEWORK_REMOVED on teardown.
import { describe, expect, it } from "vitest";
import { EventStreamClient } from "../../controllers/mesos-api/testing/eventStreamClient.ts";
import { removeNode } from "./support/fakeNodes.ts";
import { mesosTestBed } from "./support/mesosTestBed.ts";

const bed = mesosTestBed({ name: "opevents" });
const { c, ns } = bed;
const node = `${ns}-a`;

describe("operator API event stream", () => {
  it("S-94/S-96 and the framework and task events", async () => {
    const events = bed.closeLater(
      await EventStreamClient.open(bed.base, { type: "SUBSCRIBE" }, { path: "/api/v1" }),
    );
    expect(events.status).toBe(200);
    const subscribed = await events.waitFor("SUBSCRIBED", { timeoutMs: 10_000 });
    expect((subscribed.subscribed as { heartbeat_interval_seconds: number }).heartbeat_interval_seconds).toBe(
      15,
    );
    expect(events.types().slice(0, 2)).toEqual(["SUBSCRIBED", "HEARTBEAT"]);

    // S-96: an agent registers.
    await bed.addAgent("a", { cpu: "2", memory: "1Gi", disk: "100Gi" });
    const added = await events.waitFor("AGENT_ADDED", { timeoutMs: 20_000 });
    const agent = (
      added.agent_added as {
        agent: {
          agent_info: { hostname: string; id: { value: string } };
          pid: string;
          version: string;
          total_resources: { name: string }[];
        };
      }
    ).agent;
    expect(agent.agent_info.hostname).toBe(node);
    expect(agent.agent_info.id.value).toMatch(/-S0$/);
    expect(agent.pid).toMatch(/^slave\(1\)@/);
    expect(agent.version).toMatch(/^1\./);
    expect(agent.total_resources.map((r) => r.name).sort()).toEqual(["cpus", "disk", "mem", "ports"]);

    // A scheduler subscribes and launches a task.
    const scheduler = await bed.subscribe({
      user: "nobody",
      name: "opevents",
      failover_timeout: 60,
    });
    const frameworkId = scheduler.frameworkId;
    const fwAdded = await events.waitFor("FRAMEWORK_ADDED", { timeoutMs: 10_000 });
    expect(
      (fwAdded.framework_added as { framework: { framework_info: { id: { value: string } } } }).framework
        .framework_info.id.value,
    ).toBe(frameworkId);
    expect(
      await scheduler.launch([await scheduler.nextOffer()], [{ id: "watched-0", cpus: 0.1, mem: 32 }]),
    ).toBe(202);
    const taskAdded = await events.waitFor("TASK_ADDED", { timeoutMs: 20_000 });
    const task = (taskAdded.task_added as { task: { task_id: { value: string }; state: string } }).task;
    expect(task.task_id.value).toBe("watched-0");
    expect(task.state).toBe("TASK_STAGING");
    const running = await events.waitFor(
      (e) => e.type === "TASK_UPDATED" && (e.task_updated as { state: string }).state === "TASK_RUNNING",
      { timeoutMs: 20_000 },
    );
    expect((running.task_updated as { framework_id: { value: string } }).framework_id.value).toBe(
      frameworkId,
    );

    // Teardown: FRAMEWORK_REMOVED.
    expect((await scheduler.call({ type: "TEARDOWN" })).status).toBe(202);
    const removed = await events.waitFor("FRAMEWORK_REMOVED", { timeoutMs: 20_000 });
    expect(
      (removed.framework_removed as { framework_info: { id: { value: string } } }).framework_info.id.value,
    ).toBe(frameworkId);

    // S-96: the agent goes.
    await removeNode(c, node);
    const agentRemoved = await events.waitFor("AGENT_REMOVED", { timeoutMs: 20_000 });
    expect((agentRemoved.agent_removed as { agent_id: { value: string } }).agent_id.value).toBe(
      agent.agent_info.id.value,
    );
  });
});
