import { describe, expect, it } from "vitest";
import type { Role } from "../../api/index.ts";
import {
  quotaConfigsOf,
  type RoleStore,
  roleObjectName,
  updateQuota,
  updateWeights,
  weightsOf,
} from "./roleChanges.ts";

/** Role objects in memory, merge patches applied as the API server would (null deletes). */
function memoryStore(initial: Role[] = []) {
  const roles = new Map(initial.map((r) => [r.metadata.name ?? "", r]));
  const merge = (a: unknown, b: unknown): unknown => {
    if (b === null || typeof b !== "object" || Array.isArray(b)) return b;
    const out: Record<string, unknown> = { ...(typeof a === "object" && a !== null ? a : {}) };
    for (const [k, v] of Object.entries(b)) {
      if (v === null) delete out[k];
      else out[k] = merge(out[k], v);
    }
    return out;
  };
  const store: RoleStore = {
    list: () => [...roles.values()],
    create: async (obj) => {
      roles.set(obj.metadata.name, {
        apiVersion: "mesos.operator.dev/v1alpha1",
        kind: "Role",
        ...obj,
      } as Role);
    },
    mergePatch: async (ref, patch) => {
      const r = roles.get(ref.name);
      if (r === undefined) throw new Error("not found");
      roles.set(ref.name, merge(r, patch) as Role);
    },
  };
  return { store, roles };
}

const role = (name: string, spec: Record<string, unknown>): Role =>
  ({ apiVersion: "mesos.operator.dev/v1alpha1", kind: "Role", metadata: { name }, spec }) as Role;

describe("roleObjectName", () => {
  it.each([
    ["web", "web"],
    ["eng/web", "eng.web"],
    ["Eng", "role-"],
    ["a_b", "role-"],
  ])("%s → %s…", (r, want) => {
    expect(roleObjectName(r).startsWith(want)).toBe(true);
  });
});

describe("UPDATE_WEIGHTS", () => {
  it("patches an existing Role, creates missing ones (spec.name when the object name differs)", async () => {
    const { store, roles } = memoryStore([role("role1", { weight: 1 })]);
    expect(
      await updateWeights(store, [
        { role: "role1", weight: 2 },
        { role: "eng/web", weight: 3 },
      ]),
    ).toEqual({ ok: true });
    expect(roles.get("role1")?.spec.weight).toBe(2);
    expect(roles.get("eng.web")?.spec).toEqual({ name: "eng/web", weight: 3 });
    expect(weightsOf(store.list())).toEqual([
      { role: "eng/web", weight: 3 },
      { role: "role1", weight: 2 },
    ]);
  });

  it.each([
    [{ role: "/bad", weight: 1 }, /cannot start with a slash/],
    [{ role: "r", weight: 0 }, /must be positive/],
    [{ weight: 1 }, /Empty role name/],
  ])("refuses %j with 400 and writes nothing", async (info, message) => {
    const { store, roles } = memoryStore();
    const outcome = await updateWeights(store, [info]);
    expect(outcome).toMatchObject({ ok: false, status: 400 });
    expect(outcome.ok ? "" : outcome.message).toMatch(message);
    expect(roles.size).toBe(0);
  });
});

describe("UPDATE_QUOTA", () => {
  it("replaces the role's quota whole, and an empty config removes it", async () => {
    const { store, roles } = memoryStore([
      role("q", { weight: 1, quota: { guarantee: { cpus: 1, mem: 512 }, limit: { cpus: 4 } } }),
    ]);
    expect(
      await updateQuota(store, [{ role: "q", limits: { cpus: { value: 1 }, mem: { value: 512 } } }]),
    ).toEqual({
      ok: true,
    });
    expect(roles.get("q")?.spec.quota).toEqual({ guarantee: {}, limit: { cpus: 1, mem: 512 } });
    expect(quotaConfigsOf(store.list())).toEqual([
      { role: "q", guarantees: {}, limits: { cpus: { value: 1 }, mem: { value: 512 } } },
    ]);
    expect(await updateQuota(store, [{ role: "q" }])).toEqual({ ok: true });
    expect(roles.get("q")?.spec.quota).toBeUndefined();
    expect(quotaConfigsOf(store.list())).toEqual([]);
  });

  it.each([
    [{ role: "q", limits: { ports: { value: 1 } } }, /not supported/],
    [{ role: "q", guarantees: { cpus: { value: 2 } }, limits: { cpus: { value: 1 } } }, /exceeds its limit/],
    [{ role: "*", limits: { cpus: { value: 1 } } }, /'\*' role/],
    [{ role: "q", limits: { cpus: { value: -1 } } }, /Negative/],
  ])("refuses %j with 400", async (config, message) => {
    const { store } = memoryStore();
    const outcome = await updateQuota(store, [config]);
    expect(outcome).toMatchObject({ ok: false, status: 400 });
    expect(outcome.ok ? "" : outcome.message).toMatch(message);
  });
});
