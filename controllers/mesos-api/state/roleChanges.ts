// The operator API's weight and quota calls on Role objects (semantics.md §3.2, §4.3; scenarios
// S-62, S-66): UPDATE_WEIGHTS and UPDATE_QUOTA write the Role of each named role (created when
// missing), which the allocation loop follows like any kubectl change; GET_WEIGHTS and GET_QUOTA
// read them back. The Role object is the one truth: there is no second copy in the façade.
import { createHash } from "node:crypto";
import { roleNameError } from "../../allocator/roles.ts";
import { type Role, SCALAR_NAMES, type ScalarName } from "../../api/index.ts";
import type { CallOutcome } from "../backend.ts";
import type { QuotaConfig, WeightInfo } from "../messages/quota.ts";

/** The Mesos role a Role object stands for. */
export const mesosRoleOf = (r: Role): string => r.spec.name ?? r.metadata.name ?? "";

/**
 * The object name for a Mesos role: the role itself when it is a valid object name, with `/` as
 * `.` (as `eng/web` → `eng.web` in examples/); otherwise a name derived from its hash.
 */
export function roleObjectName(role: string): string {
  const dotted = role.replaceAll("/", ".");
  if (dotted.length <= 253 && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(dotted) && !dotted.includes(".."))
    return dotted;
  return `role-${createHash("sha256").update(role).digest("hex").slice(0, 16)}`;
}

export interface RoleStore {
  list(): Role[];
  create(obj: { metadata: { name: string }; spec: Record<string, unknown> }): Promise<unknown>;
  mergePatch(ref: { name: string }, patch: { spec: Record<string, unknown> }): Promise<unknown>;
}

/** Writes `spec` into the Role of `role`, creating it (named after the role) when there is none. */
async function writeRole(store: RoleStore, role: string, spec: Record<string, unknown>): Promise<void> {
  const existing = store.list().find((r) => mesosRoleOf(r) === role);
  if (existing !== undefined) {
    await store.mergePatch({ name: existing.metadata.name ?? "" }, { spec });
    return;
  }
  const name = roleObjectName(role);
  const created = withoutNulls(spec) as Record<string, unknown>;
  await store.create({ metadata: { name }, spec: name === role ? created : { name: role, ...created } });
}

/** A merge patch's nulls (deletions) have no place in a new object. */
function withoutNulls(v: unknown): unknown {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null)
      .map(([k, x]) => [k, withoutNulls(x)]),
  );
}

/** The API server refused the write (CEL rules, schema): the caller's mistake, with its message. */
async function asCallOutcome(write: () => Promise<void>): Promise<CallOutcome> {
  try {
    await write();
    return { ok: true };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 422 || code === 400)
      return { ok: false, status: 400, message: (err as Error).message.replace(/^[^:]*: /, "") };
    throw err;
  }
}

export async function updateWeights(store: RoleStore, infos: readonly WeightInfo[]): Promise<CallOutcome> {
  for (const w of infos) {
    const role = w.role ?? "";
    const invalid = roleNameError(role);
    if (invalid !== undefined) return { ok: false, status: 400, message: invalid };
    if (!(w.weight > 0))
      return { ok: false, status: 400, message: `Invalid weight '${w.weight}': weights must be positive` };
  }
  return asCallOutcome(async () => {
    for (const w of infos) await writeRole(store, w.role ?? "", { weight: w.weight });
  });
}

/** Mesos's quantities (`{cpus: {value: 1}}`) as a Role's quantities (`{cpus: 1}`); other names are refused. */
function quantities(
  map: Record<string, { value: number }> | undefined,
): Partial<Record<ScalarName, number>> | string {
  const out: Partial<Record<ScalarName, number>> = {};
  for (const [name, scalar] of Object.entries(map ?? {})) {
    if (!(SCALAR_NAMES as readonly string[]).includes(name))
      return `Quota on resource '${name}' is not supported (only ${SCALAR_NAMES.join(", ")})`;
    if (!(scalar.value >= 0)) return `Negative quota for '${name}'`;
    out[name as ScalarName] = scalar.value;
  }
  return out;
}

export async function updateQuota(store: RoleStore, configs: readonly QuotaConfig[]): Promise<CallOutcome> {
  const writes: { role: string; quota: Record<string, unknown> | null }[] = [];
  for (const c of configs) {
    const invalid = roleNameError(c.role);
    if (invalid !== undefined) return { ok: false, status: 400, message: invalid };
    if (c.role === "*")
      return { ok: false, status: 400, message: "Setting quota for the default '*' role is not supported" };
    const guarantee = quantities(c.guarantees);
    const limit = quantities(c.limits);
    if (typeof guarantee === "string") return { ok: false, status: 400, message: guarantee };
    if (typeof limit === "string") return { ok: false, status: 400, message: limit };
    for (const name of SCALAR_NAMES) {
      const g = guarantee[name];
      const l = limit[name];
      if (g !== undefined && l !== undefined && g > l)
        return {
          ok: false,
          status: 400,
          message: `Guarantee of '${name}' exceeds its limit in role '${c.role}'`,
        };
    }
    const empty = Object.keys(guarantee).length === 0 && Object.keys(limit).length === 0;
    // The config replaces the role's quota whole (names it leaves out are cleared); an empty one
    // removes it (Mesos: back to the default, no guarantee, no limit).
    const whole = (q: Partial<Record<ScalarName, number>>) =>
      Object.fromEntries(SCALAR_NAMES.map((n) => [n, q[n] ?? null]));
    writes.push({ role: c.role, quota: empty ? null : { guarantee: whole(guarantee), limit: whole(limit) } });
  }
  return asCallOutcome(async () => {
    for (const w of writes) await writeRole(store, w.role, { quota: w.quota });
  });
}

/** GET_WEIGHTS: every Role's weight. */
export const weightsOf = (roles: readonly Role[]): WeightInfo[] =>
  roles
    .map((r) => ({ role: mesosRoleOf(r), weight: r.spec.weight ?? 1 }))
    .sort((a, b) => (a.role < b.role ? -1 : 1));

/** GET_QUOTA: the quota of every Role that has one. */
export function quotaConfigsOf(roles: readonly Role[]): QuotaConfig[] {
  const scalars = (q: Partial<Record<ScalarName, number>> | undefined) =>
    Object.fromEntries(Object.entries(q ?? {}).map(([name, value]) => [name, { value }]));
  return roles
    .filter((r) => r.spec.quota !== undefined)
    .map((r) => ({
      role: mesosRoleOf(r),
      guarantees: scalars(r.spec.quota?.guarantee),
      limits: scalars(r.spec.quota?.limit),
    }))
    .sort((a, b) => (a.role < b.role ? -1 : 1));
}
