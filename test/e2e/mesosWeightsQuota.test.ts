// UPDATE_WEIGHTS and UPDATE_QUOTA through the operator API against the operator process
// (scenarios S-62, S-66): the calls write Role objects, GET_WEIGHTS / GET_QUOTA read them back, and
// the allocator follows — weights 1:2 split six agents 2:4 between two frameworks, and a role
// limited to zero is offered nothing while a role without quota takes every agent.
import { afterAll, describe, expect, it } from "vitest";
import type { EventStreamClient } from "../../controllers/mesos-api/testing/eventStreamClient.ts";
import { SchedulerSession } from "./support/mesosScheduler.ts";
import { mesosTestBed } from "./support/mesosTestBed.ts";
import { deleteFrameworks } from "./support/operator.ts";
import { waitFor } from "./support/wait.ts";

const streams: EventStreamClient[] = [];
const bed = mesosTestBed({
  name: "weights",
  beforeTearDown: () => {
    for (const s of streams) s.close();
  },
});
const { c, ns, run } = bed;
const role1 = `role1-${run}`;
const role2 = `role2-${run}`;
const quotaRole = `quota-${run}`;

const operatorCall = (body: object) => bed.operatorCall(body);

async function subscribe(name: string, role: string): Promise<EventStreamClient> {
  const session = await SchedulerSession.subscribe(bed.base, { user: "nobody", name, roles: [role] });
  streams.push(session.stream);
  return session.stream;
}

/** Agents offered to a framework so far (distinct agent IDs over its OFFERS events). */
const agentsOffered = (s: EventStreamClient): Set<string> =>
  new Set(
    s.events
      .filter((e) => e.type === "OFFERS")
      .flatMap((e) => (e.offers as { offers: { agent_id: { value: string } }[] }).offers)
      .map((o) => o.agent_id.value),
  );

// The Roles the operator API wrote are cluster-scoped: removed here.
afterAll(async () => {
  for (const name of [role1, role2, quotaRole])
    await c.custom
      .deleteClusterCustomObject({ group: "mesos.operator.dev", version: "v1alpha1", plural: "roles", name })
      .catch(() => undefined);
});

describe("weights and quota through the operator API", () => {
  it("S-62: UPDATE_WEIGHTS role2=2 → Role objects, GET_WEIGHTS, and six agents split 2:4", async () => {
    const update = await operatorCall({
      type: "UPDATE_WEIGHTS",
      update_weights: {
        weight_infos: [
          { role: role1, weight: 1 },
          { role: role2, weight: 2 },
        ],
      },
    });
    expect(update.status, update.text).toBe(200);
    const role = (await c.custom.getClusterCustomObject({
      group: "mesos.operator.dev",
      version: "v1alpha1",
      plural: "roles",
      name: role2,
    })) as { spec: { weight: number } };
    expect(role.spec.weight).toBe(2);
    const weights = (await operatorCall({ type: "GET_WEIGHTS" })).json as {
      get_weights: { weight_infos: { role: string; weight: number }[] };
    };
    expect(weights.get_weights.weight_infos).toEqual(
      expect.arrayContaining([
        { role: role1, weight: 1 },
        { role: role2, weight: 2 },
      ]),
    );
    // Bad input: 400 with Mesos's reason, nothing written.
    const bad = await operatorCall({
      type: "UPDATE_WEIGHTS",
      update_weights: { weight_infos: [{ role: "/x", weight: 1 }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("cannot start with a slash");

    const f1 = await subscribe("weights-f1", role1);
    const f2 = await subscribe("weights-f2", role2);
    // The agents arrive after both frameworks: one allocation shares them by weighted DRF.
    for (const i of [0, 1, 2, 3, 4, 5])
      await bed.addAgent(String(i), { cpu: "2", memory: "1Gi", disk: "100Gi" });
    await waitFor(
      "all six agents offered",
      async () => agentsOffered(f1).size + agentsOffered(f2).size === 6,
      { timeoutMs: 30_000, describe: async () => `${agentsOffered(f1).size}:${agentsOffered(f2).size}` },
    );
    expect([agentsOffered(f1).size, agentsOffered(f2).size]).toEqual([2, 4]);
  });

  it("S-66: a role limited to nothing is offered nothing; GET_QUOTA shows the limit; an empty config removes it", async () => {
    const update = await operatorCall({
      type: "UPDATE_QUOTA",
      update_quota: {
        quota_configs: [{ role: quotaRole, limits: { cpus: { value: 0 }, mem: { value: 0 } } }],
      },
    });
    expect(update.status, update.text).toBe(200);
    const quota = (await operatorCall({ type: "GET_QUOTA" })).json as {
      get_quota: { status: { infos?: unknown[] } & Record<string, unknown> };
    };
    expect(JSON.stringify(quota)).toContain(quotaRole);
    // Take the agents back from the earlier frameworks so they are free.
    for (const s of streams.splice(0)) s.close();
    await deleteFrameworks(c, ns);
    const limited = await subscribe("quota-f", quotaRole);
    const other = await subscribe("free-f", `free-${run}`);
    await waitFor("the free role offered every agent", async () => agentsOffered(other).size === 6, {
      timeoutMs: 30_000,
      describe: async () => `${agentsOffered(limited).size}:${agentsOffered(other).size}`,
    });
    expect(agentsOffered(limited).size).toBe(0);
    const removed = await operatorCall({
      type: "UPDATE_QUOTA",
      update_quota: { quota_configs: [{ role: quotaRole }] },
    });
    expect(removed.status, removed.text).toBe(200);
    const after = (await operatorCall({ type: "GET_QUOTA" })).json;
    expect(JSON.stringify(after)).not.toContain(quotaRole);
  });
});
