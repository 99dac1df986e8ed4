import { CoordinationV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeaderElector } from "../../controllers/cluster/leaderElection.ts";
import { silentLogger } from "../../controllers/logging.ts";
import { kubeClients } from "./support/kube.ts";
import { waitFor } from "./support/wait.ts";

// Two electors on one real Lease. Short timings keep the test quick: lease 3 s, renew deadline
// 2 s, retry 0.3 s.
const c = kubeClients();
const ns = `election-${Date.now().toString(36)}`;

interface Replica {
  id: string;
  lease: string;
  elector: LeaderElector;
  /** When set, every Lease request of this replica fails (a network partition). */
  partitioned: { value: boolean };
}

const timeline: string[] = [];
const replicas: Replica[] = [];

function replica(id: string, lease: string): Replica {
  const real = c.kc.makeApiClient(CoordinationV1Api);
  const partitioned = { value: false };
  // The real client, except that a partitioned replica's requests fail before leaving.
  const coord = new Proxy(real, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== "function") return v;
      return (...args: unknown[]) =>
        partitioned.value ? Promise.reject(new Error(`${id}: network partition`)) : v.apply(target, args);
    },
  });
  const elector = new LeaderElector({
    coord,
    namespace: ns,
    name: lease,
    identity: id,
    leaseDurationMs: 3000,
    renewDeadlineMs: 2000,
    retryPeriodMs: 300,
    log: silentLogger(),
    callbacks: {
      onStartedLeading: () => {
        timeline.push(`${id} started`);
      },
      onStoppedLeading: () => {
        timeline.push(`${id} stopped`);
      },
    },
  });
  const r = { id, lease, elector, partitioned };
  replicas.push(r);
  return r;
}

const leaders = (lease: string) =>
  replicas.filter((r) => r.lease === lease && r.elector.isLeader()).map((r) => r.id);

async function readLease(name: string) {
  return c.coord.readNamespacedLease({ name, namespace: ns });
}

/** Samples leadership for `ms`, failing if two replicas ever lead at once. */
async function neverTwoLeaders(lease: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    expect(leaders(lease).length).toBeLessThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  await c.core.createNamespace({ body: { metadata: { name: ns } } });
});

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.elector.stop()));
  await c.core.deleteNamespace({ name: ns }).catch(() => undefined);
});

describe("leader election on a Lease", () => {
  it("elects exactly one of two replicas; the other takes over at once when the leader releases", async () => {
    timeline.length = 0;
    const a = replica("replica-a", "release");
    const b = replica("replica-b", "release");
    a.elector.start();
    b.elector.start();
    const first = await waitFor("a leader", async () => leaders("release")[0]);
    await neverTwoLeaders("release", 3500);
    expect(leaders("release")).toEqual([first]);
    const lease = await readLease("release");
    expect(lease.spec?.holderIdentity).toBe(first);
    expect(lease.spec?.leaseDurationSeconds).toBe(3);
    const transitions = lease.spec?.leaseTransitions ?? 0;

    const [leader, standby] = first === a.id ? [a, b] : [b, a];
    const released = Date.now();
    await leader.elector.stop();
    expect((await readLease("release")).spec?.holderIdentity).toBe("");
    await waitFor("the standby to lead", async () => standby.elector.isLeader());
    // Released, not expired: the standby needs about one retry period, not the lease duration.
    expect(Date.now() - released).toBeLessThan(2500);
    const after = await readLease("release");
    expect(after.spec?.holderIdentity).toBe(standby.id);
    expect(after.spec?.leaseTransitions).toBe(transitions + 1);
    expect(timeline).toEqual([`${leader.id} started`, `${leader.id} stopped`, `${standby.id} started`]);
  });

  it("a leader that cannot renew stops leading before the standby takes the expired lease", async () => {
    timeline.length = 0;
    const a = replica("replica-c", "partition");
    a.elector.start();
    await waitFor("c to lead", async () => a.elector.isLeader());
    const b = replica("replica-d", "partition");
    b.elector.start();
    await neverTwoLeaders("partition", 1500);
    expect(leaders("partition")).toEqual([a.id]);

    const cut = Date.now();
    a.partitioned.value = true;
    await waitFor("c to stop leading", async () => !a.elector.isLeader(), { intervalMs: 50 });
    const stoppedAfter = Date.now() - cut;
    await waitFor("d to lead", async () => b.elector.isLeader(), { intervalMs: 50 });
    const tookOverAfter = Date.now() - cut;
    // c gives up at its renew deadline (2 s); d waits out the lease (3 s after it last saw it change).
    expect(stoppedAfter).toBeLessThan(3000);
    expect(tookOverAfter).toBeGreaterThanOrEqual(stoppedAfter);
    expect(timeline).toEqual([`${a.id} started`, `${a.id} stopped`, `${b.id} started`]);
    expect((await readLease("partition")).spec?.holderIdentity).toBe(b.id);

    // Healed, c stays a standby: the lease is d's and d renews it.
    a.partitioned.value = false;
    await neverTwoLeaders("partition", 2000);
    expect(leaders("partition")).toEqual([b.id]);
  });
});
