import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Offer } from "../../controllers/api/index.ts";
import { ensureCrds } from "./support/crds.ts";
import { addFakeNode, removeNode } from "./support/fakeNodes.ts";
import { kubeClients } from "./support/kube.ts";
import {
  customResources,
  deleteFrameworks,
  type OperatorProcess,
  startOperatorProcess,
} from "./support/operator.ts";
import { waitFor } from "./support/wait.ts";

// Offers as Offer objects, and a kubectl user's decline with refuseSeconds: the declined
// resources are not offered to that framework again before the time is up, then they are.
const c = kubeClients();
const run = Date.now().toString(36);
const ns = `offers-${run}`;
const node = `offers-${run}-a`;
const frameworks = customResources(c, "frameworks");
const offers = customResources(c, "offers");
let operator: OperatorProcess;

const listOffers = async () => (await offers.list(ns)).items as Offer[];
const outstanding = async () => (await listOffers()).filter((o) => o.status?.phase === "Outstanding");

beforeAll(async () => {
  ensureCrds();
  await c.core.createNamespace({ body: { metadata: { name: ns } } });
  await addFakeNode(c, node, { cpu: "4", memory: "8Gi", labels: { "e2e.mesos.operator.dev/agents": ns } });
  operator = startOperatorProcess(ns, `offers-${run}`, `e2e.mesos.operator.dev/agents=${ns}`);
  await frameworks.create(ns, {
    apiVersion: "mesos.operator.dev/v1alpha1",
    kind: "Framework",
    metadata: { name: "batch" },
    spec: { user: "nobody", roles: ["batch"] },
  });
});

afterAll(async () => {
  await deleteFrameworks(c, ns);
  await operator?.stop();
  await c.core.deleteNamespace({ name: ns }).catch(() => undefined);
  await removeNode(c, node);
});

describe("offers", () => {
  it("shows an Offer object for the framework; a decline with refuseSeconds keeps it away until the time is up", async () => {
    const [first] = await waitFor(
      "an outstanding offer",
      async () => {
        const o = await outstanding();
        return o.length > 0 ? o : undefined;
      },
      { timeoutMs: 60_000, describe: async () => operator.output().slice(-3000) },
    );
    const offer = first!;
    expect(offer.spec.nodeName).toBe(node);
    expect(offer.spec.role).toBe("batch");
    expect(offer.spec.frameworkName).toBe("batch");
    expect(offer.spec.resources).toEqual(expect.arrayContaining([expect.objectContaining({ name: "cpus" })]));
    expect(offer.metadata.ownerReferences?.[0]).toMatchObject({ kind: "Framework", name: "batch" });

    const refuseSeconds = 6;
    const declinedAt = Date.now();
    await offers.patch(ns, offer.metadata.name ?? "", { spec: { decline: { refuseSeconds } } });
    await waitFor("the offer Declined", async () => {
      const o = (await offers.get(ns, offer.metadata.name ?? "")) as Offer;
      return o.status?.phase === "Declined";
    });
    // Nothing is offered while the filter holds (a little margin for the allocation interval).
    while (Date.now() - declinedAt < (refuseSeconds - 1) * 1000) {
      expect(await outstanding()).toEqual([]);
      await new Promise((r) => setTimeout(r, 250));
    }
    const again = await waitFor(
      "a new offer after refuseSeconds",
      async () => {
        const o = await outstanding();
        return o.length > 0 ? o : undefined;
      },
      {
        timeoutMs: 15_000,
        describe: async () =>
          `${JSON.stringify((await listOffers()).map((o) => [o.spec.offerId, o.status?.phase]))}\n${operator.output().slice(-8000)}`,
      },
    );
    expect(Date.now() - declinedAt).toBeGreaterThanOrEqual(refuseSeconds * 1000 - 250);
    expect(again[0]?.spec.offerId).not.toBe(offer.spec.offerId);
    expect(again[0]?.spec.nodeName).toBe(node);
  });
});
