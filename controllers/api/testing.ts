// Test support (not used by the operator): a JSON-schema validator that judges objects the way the
// API server judges them against our structural schemas, and fast-check arbitraries generated from
// those schemas.
import { Ajv, type ValidateFunction } from "ajv";
import fc from "fast-check";
import type { JsonSchema } from "./crd.ts";

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** RFC 3339 date-time, as the API server's `format: date-time` accepts it. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
export const isDateTime = (s: string): boolean => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s));

/** OpenAPI 3.0 (as Kubernetes writes it) → the JSON Schema draft ajv speaks: boolean exclusive bounds. */
function toDraft7(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(toDraft7);
  if (!isObject(s)) return s;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === "x-kubernetes-validations" || k === "default") out[k] = v;
    else if (k === "properties" && isObject(v))
      out[k] = Object.fromEntries(Object.entries(v).map(([name, child]) => [name, toDraft7(child)]));
    else out[k] = toDraft7(v);
  }
  if (out.exclusiveMinimum === true) {
    out.exclusiveMinimum = out.minimum;
    delete out.minimum;
  }
  if (out.exclusiveMaximum === true) {
    out.exclusiveMaximum = out.maximum;
    delete out.maximum;
  }
  return out;
}

function uniqueBy(items: unknown[], key: (x: unknown) => unknown): boolean {
  const keys = items.map((x) => JSON.stringify(key(x)));
  return new Set(keys).size === keys.length;
}

/**
 * An ajv instance that knows the Kubernetes extensions that change validity: list types (set and
 * map refuse duplicates), int-or-string, formats. CEL rules are not evaluated (the API server
 * does that; their TypeScript mirrors live in the zod schemas).
 */
export function kubeAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat("date-time", isDateTime);
  ajv.addFormat("int32", { type: "number", validate: () => true });
  ajv.addFormat("int64", { type: "number", validate: () => true });
  ajv.addKeyword({ keyword: "x-kubernetes-validations" });
  ajv.addKeyword({ keyword: "x-kubernetes-list-map-keys" });
  ajv.addKeyword({ keyword: "x-kubernetes-preserve-unknown-fields" });
  ajv.addKeyword({
    keyword: "x-kubernetes-int-or-string",
    validate: (on: boolean, data: unknown) => !on || typeof data === "string" || Number.isInteger(data),
  });
  ajv.addKeyword({
    keyword: "x-kubernetes-list-type",
    type: "array",
    validate: (listType: string, data: unknown[], parent?: Record<string, unknown>) => {
      if (listType === "set") return uniqueBy(data, (x) => x);
      if (listType === "map") {
        const keys = (parent?.["x-kubernetes-list-map-keys"] as string[] | undefined) ?? [];
        return uniqueBy(data, (x) => keys.map((k) => (isObject(x) ? x[k] : undefined)));
      }
      return true;
    },
  });
  return ajv;
}

export function compileOpenApi(ajv: Ajv, schema: JsonSchema): ValidateFunction {
  return ajv.compile(toDraft7(schema) as object);
}

/** The schema node at a data path (object keys and list indexes). */
export function schemaAt(schema: JsonSchema, path: readonly PropertyKey[]): JsonSchema | undefined {
  let node: JsonSchema | undefined = schema;
  for (const seg of path) {
    if (!node) return undefined;
    if (typeof seg === "number") node = node.items as JsonSchema | undefined;
    else if (isObject(node.properties) && String(seg) in node.properties)
      node = node.properties[String(seg)] as JsonSchema;
    else node = node.additionalProperties as JsonSchema | undefined;
  }
  return node;
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries from a structural schema

const SMALL = 3;

/** Values that the schema accepts structurally (CEL rules are not considered). */
export function validValue(s: JsonSchema): fc.Arbitrary<unknown> {
  if (s["x-kubernetes-int-or-string"])
    return fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.stringMatching(/^[a-z][a-z0-9-]{0,13}[a-z0-9]$/));
  if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum);
  switch (s.type) {
    case "boolean":
      return fc.boolean();
    case "integer": {
      const min = typeof s.minimum === "number" ? s.minimum : -1000;
      const max = typeof s.maximum === "number" ? s.maximum : min + 100000;
      return fc.integer({ min, max: Math.min(max, min + 100000) });
    }
    case "number": {
      const min = typeof s.minimum === "number" ? s.minimum : -1000;
      const max = typeof s.maximum === "number" ? Math.min(s.maximum, min + 1e6) : min + 1e6;
      const d = fc
        .double({ min, max, noNaN: true, noDefaultInfinity: true })
        .map((x) => (Object.is(x, -0) ? 0 : x));
      return s.exclusiveMinimum === true ? d.filter((x) => x > min) : d;
    }
    case "string": {
      if (s.format === "date-time")
        return fc
          .date({
            min: new Date("2000-01-01T00:00:00Z"),
            max: new Date("2100-01-01T00:00:00Z"),
            noInvalidDate: true,
          })
          .map((d) => d.toISOString());
      const minLength = typeof s.minLength === "number" ? s.minLength : 0;
      const maxLength = Math.min(typeof s.maxLength === "number" ? s.maxLength : 32, 32);
      if (typeof s.pattern === "string")
        return fc
          .stringMatching(new RegExp(s.pattern, "u"))
          .filter((x) => [...x].length >= minLength && [...x].length <= (s.maxLength as number));
      return fc.string({ minLength, maxLength: Math.max(minLength, maxLength) });
    }
    case "array": {
      const item = validValue(s.items as JsonSchema);
      const minLength = typeof s.minItems === "number" ? s.minItems : 0;
      const maxLength = Math.max(
        minLength,
        Math.min(typeof s.maxItems === "number" ? s.maxItems : SMALL, SMALL),
      );
      if (s["x-kubernetes-list-type"] === "set")
        return fc.uniqueArray(item, { minLength, maxLength, selector: (x) => JSON.stringify(x) });
      if (s["x-kubernetes-list-type"] === "map") {
        const keys = (s["x-kubernetes-list-map-keys"] as string[]) ?? [];
        return fc.uniqueArray(item, {
          minLength,
          maxLength,
          selector: (x) => JSON.stringify(keys.map((k) => (x as Record<string, unknown>)[k])),
        });
      }
      return fc.array(item, { minLength, maxLength });
    }
    case "object": {
      if (isObject(s.additionalProperties)) {
        const max = Math.min(typeof s.maxProperties === "number" ? s.maxProperties : SMALL, SMALL);
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), validValue(s.additionalProperties), {
          maxKeys: max,
          noNullPrototype: true,
        });
      }
      const props = isObject(s.properties) ? s.properties : {};
      const required = Array.isArray(s.required) ? (s.required as string[]) : [];
      const model = Object.fromEntries(
        Object.entries(props).map(([k, v]) => [k, validValue(v as JsonSchema)]),
      );
      return fc.record(model, { requiredKeys: required, noNullPrototype: true }) as fc.Arbitrary<unknown>;
    }
    default:
      throw new Error(`no arbitrary for schema type ${String(s.type)}`);
  }
}

type Path = (string | number)[];

/** Every (path, schema) pair of a value that conforms to `schema`. */
function nodes(value: unknown, s: JsonSchema, path: Path = [], out: [Path, JsonSchema, unknown][] = []) {
  out.push([path, s, value]);
  if (Array.isArray(value) && isObject(s.items)) {
    for (const [i, v] of value.entries()) nodes(v, s.items as JsonSchema, [...path, i], out);
  } else if (isObject(value))
    for (const [k, v] of Object.entries(value)) {
      const child = isObject(s.properties)
        ? (s.properties[k] as JsonSchema | undefined)
        : (s.additionalProperties as JsonSchema);
      if (isObject(child)) nodes(v, child, [...path, k], out);
    }
  return out;
}

const MUTATIONS = ["wrongType", "violateBound", "dropRequired", "duplicate", "unknownField"] as const;
export type Mutation = (typeof MUTATIONS)[number];

function wrongType(s: JsonSchema): unknown {
  if (s["x-kubernetes-int-or-string"]) return 1.5;
  switch (s.type) {
    case "string":
      return 42;
    case "integer":
      return 2.5;
    case "number":
      return "12";
    case "boolean":
      return "true";
    case "array":
      return { not: "a list" };
    default:
      return ["not", "an", "object"];
  }
}

function violateBound(s: JsonSchema, v: unknown): unknown {
  if (Array.isArray(s.enum)) return "NOT_A_KNOWN_VALUE";
  if (typeof s.minimum === "number") return s.minimum - 1;
  if (typeof s.maximum === "number") return s.maximum + 1;
  if (s.format === "date-time") return "yesterday at noon";
  if (typeof s.pattern === "string") return " not/valid// ";
  if (typeof s.maxLength === "number") return "x".repeat(s.maxLength + 1);
  if (Array.isArray(v) && typeof s.maxItems === "number")
    return Array.from({ length: s.maxItems + 1 }, (_, i) => v[i % Math.max(v.length, 1)] ?? null);
  return wrongType(s);
}

function setAt(root: unknown, path: Path, f: (v: unknown) => unknown): unknown {
  if (path.length === 0) return f(root);
  const [head, ...rest] = path;
  if (Array.isArray(root)) return root.map((x, i) => (i === head ? setAt(x, rest, f) : x));
  const o = root as Record<string, unknown>;
  return { ...o, [head as string]: setAt(o[head as string], rest, f) };
}

/** Apply one mutation at the `pick`-th node of `value`. The result may or may not be valid. */
export function mutate(value: unknown, s: JsonSchema, pick: number, mutation: Mutation): unknown {
  const all = nodes(value, s);
  const [path, node, v] = all[pick % all.length] as [Path, JsonSchema, unknown];
  switch (mutation) {
    case "wrongType":
      return setAt(value, path, () => wrongType(node));
    case "violateBound":
      return setAt(value, path, () => violateBound(node, v));
    case "dropRequired": {
      const req = Array.isArray(node.required) ? (node.required as string[]) : [];
      if (!isObject(v) || req.length === 0) return setAt(value, path, () => wrongType(node));
      const drop = req[pick % req.length] as string;
      return setAt(value, path, (o) =>
        Object.fromEntries(Object.entries(o as object).filter(([k]) => k !== drop)),
      );
    }
    case "duplicate":
      if (Array.isArray(v) && v.length > 0 && node["x-kubernetes-list-type"])
        return setAt(value, path, () => [...v, v[0]]);
      return setAt(value, path, () => violateBound(node, v));
    case "unknownField":
      if (isObject(v) && isObject(node.properties)) return setAt(value, path, () => ({ ...v, notAField: 1 }));
      return value;
  }
}

export const mutationArb = fc.constantFrom(...MUTATIONS);
