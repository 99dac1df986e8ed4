// Round trip: the zod schemas and the generated CRD schemas agree on a generated corpus.
//
// For each kind, spec and status objects are generated from the CRD's OpenAPI schema (valid ones,
// then mutated: wrong types, broken bounds/enums/patterns, missing required fields, duplicates in
// list-type set/map lists, unknown fields). Each object is judged by ajv against the CRD schema
// (the API server's structural validation) and by zod. They must agree:
// - ajv accepts ⇒ zod accepts, or refuses only through CEL mirrors, and each such refusal is a rule
//   of the CRD at the same path with the same message (the API server would refuse it the same way);
// - ajv refuses ⇒ zod refuses with at least one non-CEL issue.

import type { ValidateFunction } from "ajv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { buildCrd, type JsonSchema } from "./crd.ts";
import { KINDS } from "./index.ts";
import { compileOpenApi, kubeAjv, mutate, mutationArb, schemaAt, validValue } from "./testing.ts";

const ajv = kubeAjv();

type Verdict = "both-accept" | "both-refuse" | "cel-only";

function judge(
  zodSchema: z.ZodType,
  schema: JsonSchema,
  validate: ValidateFunction,
  value: unknown,
): Verdict {
  const structural = validate(value) as boolean;
  const parsed = zodSchema.safeParse(value);
  const issues = parsed.success ? [] : parsed.error.issues;
  const celOf = (i: z.core.$ZodIssue) => (i as { params?: { cel?: string } }).params?.cel;
  const cel = issues.filter((i) => i.code === "custom" && celOf(i) !== undefined);
  const other = issues.filter((i) => !cel.includes(i));
  for (const i of cel) {
    const rules = (schemaAt(schema, i.path)?.["x-kubernetes-validations"] ?? []) as {
      rule: string;
      message: string;
    }[];
    expect(rules, `CEL mirror at ${i.path.join(".")} has no CRD rule`).toContainEqual(
      expect.objectContaining({ rule: celOf(i), message: i.message }),
    );
  }
  if (structural) {
    expect(other, `ajv accepts but zod refuses ${JSON.stringify(value)}`).toEqual([]);
    return cel.length > 0 ? "cel-only" : "both-accept";
  }
  expect(
    other.length,
    `ajv refuses (${ajv.errorsText(validate.errors)}) but zod accepts ${JSON.stringify(value)}`,
  ).toBeGreaterThan(0);
  return "both-refuse";
}

describe.each(KINDS.map((k) => [k.kind, k] as const))("%s: zod ⇄ CRD schema", (_, def) => {
  const crd = buildCrd(def) as {
    spec: { versions: { schema: { openAPIV3Schema: { properties: Record<string, JsonSchema> } } }[] };
  };
  const props = crd.spec.versions[0]!.schema.openAPIV3Schema.properties;

  for (const part of ["spec", "status"] as const) {
    const schema = props[part]!;
    const zodSchema = def[part];
    const validate = compileOpenApi(ajv, schema);
    const check = (v: unknown) => judge(zodSchema, schema, validate, v);

    it(`${part}: generated objects pass or fail both`, () => {
      const seen: Record<Verdict, number> = { "both-accept": 0, "both-refuse": 0, "cel-only": 0 };
      fc.assert(
        fc.property(validValue(schema), (v) => {
          seen[check(v)]++;
        }),
        { numRuns: 600 },
      );
      // Structurally valid objects never fail ajv; some of them also pass every CEL rule (about
      // 1 in 20 random Task specs does; the curated valid objects are checked in api.test.ts).
      expect(seen["both-refuse"]).toBe(0);
      expect(seen["both-accept"]).toBeGreaterThanOrEqual(5);
    });

    it(`${part}: mutated objects pass or fail both`, () => {
      const seen: Record<Verdict, number> = { "both-accept": 0, "both-refuse": 0, "cel-only": 0 };
      fc.assert(
        fc.property(validValue(schema), fc.nat(), mutationArb, (v, pick, m) => {
          seen[check(mutate(v, schema, pick, m))]++;
        }),
        { numRuns: 500 },
      );
      expect(seen["both-refuse"]).toBeGreaterThan(150);
    });
  }
});
