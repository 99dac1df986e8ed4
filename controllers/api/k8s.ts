// Kubernetes building blocks for the zod schemas: CEL rules, list types, bounded maps, int-or-string,
// metav1.Condition and a loose ObjectMeta. Everything a CRD needs beyond plain JSON Schema is attached
// as zod metadata here, so the schema modules stay the only source of truth (see crd.ts).
import { z } from "zod";

/** One `x-kubernetes-validations` entry, with its TypeScript mirror. */
export interface CelRule<T> {
  /** The CEL expression the API server evaluates (`self`, and `oldSelf` for transition rules). */
  rule: string;
  /** What the user sees when the rule fails: say what is wrong and how to fix it. */
  message: string;
  /**
   * The same rule in TypeScript, run by zod so the operator and the Mesos API refuse what the API
   * server refuses. Required unless the rule reads `oldSelf` (transition rules need the old object,
   * which only the API server has).
   */
  check?: (self: T) => boolean;
  reason?: "FieldValueInvalid" | "FieldValueForbidden" | "FieldValueRequired" | "FieldValueDuplicate";
}

type Meta = Record<string, unknown>;
const metaOf = (schema: z.ZodType): Meta => (z.globalRegistry.get(schema) as Meta | undefined) ?? {};

/** zod issue params that mark an issue as raised by a CEL mirror (the round-trip test reads them). */
export interface CelIssueParams {
  cel: string;
}

/** Attach CEL rules to a schema: `x-kubernetes-validations` for the CRD, refinements for zod. */
export function cel<S extends z.ZodType>(schema: S, rules: CelRule<z.output<S>>[]): S {
  let out = schema;
  for (const r of rules) {
    if (!r.check && !r.rule.includes("oldSelf")) throw new Error(`CEL rule needs a TS mirror: ${r.rule}`);
    if (r.check) {
      const check = r.check;
      const params: CelIssueParams = { cel: r.rule };
      out = out.refine((v) => check(v), { message: r.message, params }) as S;
    }
  }
  const previous = (metaOf(out)["x-kubernetes-validations"] as unknown[] | undefined) ?? [];
  const added = rules.map(({ rule, message, reason }) => ({ rule, message, ...(reason ? { reason } : {}) }));
  return out.meta({ ...metaOf(out), "x-kubernetes-validations": [...previous, ...added] }) as S;
}

/** `has(self.f) == has(oldSelf.f) && (!has(self.f) || self.f == oldSelf.f)`: f cannot be set, changed or removed. */
export const unchangedCel = (field: string): string =>
  `has(self.${field}) == has(oldSelf.${field}) && (!has(self.${field}) || self.${field} == oldSelf.${field})`;

/** CEL for "these fields did not change": plain equality for required fields, presence-aware for optional ones. */
export const unchangedFieldsCel = (required: readonly string[], optional: readonly string[]): string =>
  [...required.map((f) => `self.${f} == oldSelf.${f}`), ...optional.map(unchangedCel)].join(" && ");

/** A field-level immutability rule (for required or defaulted fields, which are always present). */
export const immutable = (what: string): CelRule<unknown> => ({
  rule: "self == oldSelf",
  message: `${what} is immutable`,
});

/** Uniqueness of list items by a key (what the API server enforces for list-type set and map). */
function uniqueBy<T>(items: T[], key: (t: T) => unknown): boolean {
  const seen = new Set<string>();
  for (const item of items) {
    const k = JSON.stringify(key(item));
    if (seen.has(k)) return false;
    seen.add(k);
  }
  return true;
}

/** A list of distinct scalars (`x-kubernetes-list-type: set`): the API server refuses duplicates. */
export function setList<T extends z.ZodType>(item: T, maxItems: number) {
  return z
    .array(item)
    .max(maxItems)
    .refine((xs) => uniqueBy(xs, (x) => x), { message: "duplicate entries are not allowed" })
    .meta({ "x-kubernetes-list-type": "set" });
}

/** A list of objects keyed by `key` (`x-kubernetes-list-type: map`): merges by key, refuses duplicate keys. */
export function mapList<T extends z.ZodObject, K extends keyof z.output<T> & string>(
  item: T,
  key: K,
  maxItems: number,
) {
  return z
    .array(item)
    .max(maxItems)
    .refine((xs) => uniqueBy(xs, (x) => (x as Record<string, unknown>)[key]), {
      message: `duplicate ${key} values are not allowed`,
    })
    .meta({ "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": [key] });
}

/** A string-keyed map with at most `maxProperties` entries (bounded, so CEL cost estimates stay small). */
export function boundedRecord<V extends z.ZodType>(value: V, maxProperties: number) {
  return z
    .record(z.string(), value)
    .refine((m) => Object.keys(m).length <= maxProperties, {
      message: `at most ${maxProperties} entries are allowed`,
    })
    .meta({ maxProperties });
}

/** An integer or a string (`x-kubernetes-int-or-string`), e.g. a port number or a named port. */
export const intOrString = () => z.union([z.number().int(), z.string().max(63)]);

/** An RFC 3339 timestamp, as in metav1.Time (`format: date-time`). */
export const dateTime = () => z.iso.datetime({ offset: true });

/** metav1.Condition, exactly as Kubernetes defines it (shape, patterns and limits). */
export const ConditionSchema = z
  .object({
    type: z
      .string()
      .max(316)
      .regex(
        /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/,
      )
      .describe("Type of condition in CamelCase, e.g. Ready."),
    status: z.enum(["True", "False", "Unknown"]).describe("Status of the condition: True, False or Unknown."),
    observedGeneration: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe("The metadata.generation that the condition was set for."),
    lastTransitionTime: dateTime().describe("Last time the condition changed from one status to another."),
    reason: z
      .string()
      .min(1)
      .max(1024)
      .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/)
      .describe("Programmatic identifier (CamelCase) for the reason of the last transition."),
    message: z.string().max(32768).describe("Human-readable message with details about the transition."),
  })
  .describe("A metav1.Condition: one aspect of the object's current state.");
export type Condition = z.infer<typeof ConditionSchema>;

export const conditionsField = () =>
  mapList(ConditionSchema, "type", 32)
    .optional()
    .describe(
      "Standard Kubernetes conditions (metav1.Condition), one per type; Ready summarises the object.",
    );

export const observedGenerationField = () =>
  z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("The metadata.generation of the spec that the operator last acted on.");

/**
 * Insert or update a condition, keeping lastTransitionTime when the status does not change
 * (apimachinery's meta.SetStatusCondition). Returns a new array.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  next: Omit<Condition, "lastTransitionTime"> & { lastTransitionTime?: string },
  now: Date = new Date(),
): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === next.type);
  const old = i >= 0 ? list[i] : undefined;
  const lastTransitionTime =
    old && old.status === next.status
      ? old.lastTransitionTime
      : (next.lastTransitionTime ?? now.toISOString().replace(/\.\d{3}Z$/, "Z"));
  const merged: Condition = { ...next, lastTransitionTime };
  if (i >= 0) list[i] = merged;
  else list.push(merged);
  return list;
}

/** Find a condition by type. */
export const findCondition = (conditions: readonly Condition[] | undefined, type: string) =>
  conditions?.find((c) => c.type === type);

/** The part of metav1.ObjectMeta the controllers read; other fields pass through untouched. */
export const ObjectMetaSchema = z.looseObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().int().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  finalizers: z.array(z.string()).optional(),
  ownerReferences: z
    .array(
      z.looseObject({
        apiVersion: z.string(),
        kind: z.string(),
        name: z.string(),
        uid: z.string(),
        controller: z.boolean().optional(),
        blockOwnerDeletion: z.boolean().optional(),
      }),
    )
    .optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;
