// From zod schemas to CustomResourceDefinitions.
//
// z.toJSONSchema (OpenAPI 3.0 target, input side, everything inlined) does most of the work; this
// module turns its output into a Kubernetes *structural* schema: it keeps only the keywords the API
// server knows, maps `integer | string` unions to `x-kubernetes-int-or-string`, drops zod's
// safe-integer bounds and its date-time regex (the API server checks `format: date-time`), and
// refuses anything else ($ref, const, anyOf, ...). It also enforces our own rules: a description on
// every field, and bounds on every list, string and map so CEL cost estimates stay small.
import { stringify } from "yaml";
import { z } from "zod";
import { ObjectMetaSchema } from "./k8s.ts";

export const GROUP = "mesos.operator.dev";
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}`;
export const CATEGORY = "mesos";

export interface PrinterColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  jsonPath: string;
  description: string;
  priority?: number;
}

export interface KindInfo<K extends string, Spec extends z.ZodType, Status extends z.ZodType> {
  kind: K;
  plural: string;
  singular: string;
  shortNames: string[];
  scope: "Namespaced" | "Cluster";
  description: string;
  spec: Spec;
  status: Status;
  printerColumns: PrinterColumn[];
  /** Fields usable with `kubectl get --field-selector` (string, integer or boolean leaves). */
  selectableFields?: string[];
}

/** A kind: its CRD facts and the zod schema of a whole object (apiVersion, kind, metadata, spec, status). */
export function defineKind<K extends string, Spec extends z.ZodType, Status extends z.ZodType>(
  info: KindInfo<K, Spec, Status>,
) {
  const schema = z.object({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal(info.kind),
    metadata: ObjectMetaSchema,
    spec: info.spec,
    status: info.status.optional(),
  });
  return { ...info, schema };
}
export type KindDefinition = ReturnType<typeof defineKind<string, z.ZodType, z.ZodType>>;

// ---------------------------------------------------------------------------------------------
// JSON Schema → structural schema

export type JsonSchema = { [key: string]: unknown };

const KEEP = new Set([
  "type",
  "description",
  "properties",
  "required",
  "items",
  "additionalProperties",
  "enum",
  "default",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "x-kubernetes-validations",
  "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys",
  "x-kubernetes-int-or-string",
  "x-kubernetes-preserve-unknown-fields",
]);
/** Metadata used for docs/api.md only. */
const DOC_ONLY = new Set(["mesos"]);

export interface FieldDoc {
  path: string;
  type: string;
  required: boolean;
  description: string;
  mesos?: string;
}

const isObject = (v: unknown): v is JsonSchema => typeof v === "object" && v !== null && !Array.isArray(v);

function typeName(s: JsonSchema): string {
  if (s["x-kubernetes-int-or-string"]) return "int-or-string";
  if (s.type === "array" && isObject(s.items)) return `[]${typeName(s.items)}`;
  if (s.type === "object" && isObject(s.additionalProperties))
    return `map[string]${typeName(s.additionalProperties)}`;
  if (Array.isArray(s.enum))
    return s.enum.length <= 8 ? `enum: ${s.enum.join(", ")}` : `enum (${s.enum.length} values)`;
  if (s.format === "date-time") return "date-time";
  return String(s.type);
}

/**
 * Convert one node (and its children) of zod's JSON Schema output. `docs`, when given, collects one
 * entry per field for docs/api.md.
 */
export function toStructural(node: JsonSchema, path: string, docs?: FieldDoc[], isField = false): JsonSchema {
  const docIndex = docs?.length ?? 0; // parents are listed before their children
  const fail = (why: string): never => {
    throw new Error(`${path || "<root>"}: ${why}`);
  };
  if (Array.isArray(node.anyOf)) {
    const types = node.anyOf.map((s) => (isObject(s) ? s.type : undefined)).sort();
    if (node.anyOf.length !== 2 || types[0] !== "integer" || types[1] !== "string")
      fail("unions other than integer|string cannot be expressed in a structural schema");
    const out: JsonSchema = { "x-kubernetes-int-or-string": true };
    if (node.description !== undefined) out.description = node.description;
    return finish(out);
  }

  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (KEEP.has(key)) out[key] = value;
    else if (!DOC_ONLY.has(key)) fail(`keyword "${key}" is not allowed in a structural schema`);
  }
  if (out.type === undefined && !out["x-kubernetes-preserve-unknown-fields"]) fail("every node needs a type");
  if (out.type === "integer") {
    if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
    if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
    // No `format: int32/int64`: it adds nothing for JSON and turns the API server's "must be of
    // type integer" into a confusing "must be of type int32: float64".
  }
  if (out.format === "date-time") delete out.pattern;
  if (isObject(out.properties)) {
    const required = new Set(Array.isArray(out.required) ? out.required : []);
    out.properties = Object.fromEntries(
      Object.entries(out.properties).map(([name, child]) => [
        name,
        toStructural(child as JsonSchema, path ? `${path}.${name}` : name, docs, true),
      ]),
    );
    if (required.size === 0) delete out.required;
  }
  if (isObject(out.additionalProperties)) {
    if (out.properties) fail("properties and additionalProperties are mutually exclusive");
    out.additionalProperties = toStructural(out.additionalProperties, `${path}.<key>`);
    if (out.maxProperties === undefined) fail("maps need maxProperties (see boundedRecord)");
  } else if (out.additionalProperties !== undefined) {
    delete out.additionalProperties; // `false` from strict objects; the API server prunes instead
  }
  if (isObject(out.items)) out.items = toStructural(out.items, `${path}[]`, docs);
  return finish(out);

  function finish(out: JsonSchema): JsonSchema {
    if (out.type === "array" && out.maxItems === undefined) fail("lists need maxItems");
    if (out.type === "string" && out.maxLength === undefined && !out.enum && out.format !== "date-time")
      fail("strings need maxLength");
    if (isField) {
      if (typeof out.description !== "string" || out.description.length === 0)
        fail("fields need a description");
      if (docs) {
        const doc: FieldDoc = {
          path,
          type:
            out.default === undefined
              ? typeName(out)
              : `${typeName(out)} (default ${JSON.stringify(out.default)})`,
          required: false,
          description: out.description as string,
        };
        if (typeof node.mesos === "string") doc.mesos = node.mesos;
        docs.splice(docIndex, 0, doc);
      }
    }
    return out;
  }
}

/** The structural OpenAPI v3 schema of a zod schema. */
export function openApiSchema(schema: z.ZodType, path = "", docs?: FieldDoc[]): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: "openapi-3.0",
    io: "input",
    reused: "inline",
    cycles: "throw",
    unrepresentable: "throw",
  }) as JsonSchema;
  delete json.$schema;
  return toStructural(json, path, docs);
}

/** The whole openAPIV3Schema of a kind, plus the field list for the docs. */
export function kindSchema(def: KindDefinition): { schema: JsonSchema; fields: FieldDoc[] } {
  const fields: FieldDoc[] = [];
  const spec = openApiSchema(def.spec, "spec", fields);
  const status = openApiSchema(def.status, "status", fields);
  markRequired(fields, spec, "spec");
  markRequired(fields, status, "status");
  return {
    schema: {
      type: "object",
      description: def.description,
      properties: {
        apiVersion: {
          type: "string",
          description:
            "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.",
        },
        kind: {
          type: "string",
          description:
            "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. In CamelCase.",
        },
        metadata: { type: "object" },
        spec: { ...spec, description: spec.description ?? `Desired state of the ${def.kind}.` },
        status: { ...status, description: status.description ?? `Observed state of the ${def.kind}.` },
      },
      required: ["spec"],
    },
    fields,
  };
}

function markRequired(fields: FieldDoc[], schema: JsonSchema, path: string): void {
  const walk = (s: JsonSchema, p: string) => {
    const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
    if (isObject(s.properties))
      for (const [name, child] of Object.entries(s.properties)) {
        const fp = `${p}.${name}`;
        const f = fields.find((x) => x.path === fp);
        if (f && required.has(name)) f.required = true;
        walk(child as JsonSchema, fp);
      }
    if (isObject(s.items)) walk(s.items, `${p}[]`);
  };
  walk(schema, path);
}

// ---------------------------------------------------------------------------------------------
// CRD manifests

export function buildCrd(def: KindDefinition): JsonSchema {
  const { schema } = kindSchema(def);
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${def.plural}.${GROUP}` },
    spec: {
      group: GROUP,
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.singular,
        shortNames: def.shortNames,
        categories: [CATEGORY],
      },
      scope: def.scope,
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: def.printerColumns,
          ...(def.selectableFields
            ? { selectableFields: def.selectableFields.map((jsonPath) => ({ jsonPath })) }
            : {}),
          schema: { openAPIV3Schema: schema },
        },
      ],
    },
  };
}

export const crdFileName = (def: KindDefinition): string => `${GROUP}_${def.plural}.yaml`;

export const CRD_HEADER = [
  "# Generated from the zod schemas in controllers/api/ by hack/generate-crds.ts. Do not edit.",
  "# Regenerate with `npm run generate`; `npm test` fails when this file is stale.",
].join("\n");

export function renderCrd(def: KindDefinition): string {
  return `${CRD_HEADER}\n${stringify(buildCrd(def), { lineWidth: 0 })}`;
}

// ---------------------------------------------------------------------------------------------
// docs/api.md field tables

export const DOCS_BEGIN = "<!-- BEGIN GENERATED FIELDS (npm run generate) -->";
export const DOCS_END = "<!-- END GENERATED FIELDS -->";

const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ");

export function renderFieldTables(defs: readonly KindDefinition[]): string {
  const parts: string[] = [];
  for (const def of defs) {
    const { fields } = kindSchema(def);
    parts.push(`### ${def.kind} fields\n`);
    parts.push("| Field | Type | Mesos | Description |");
    parts.push("| --- | --- | --- | --- |");
    for (const f of fields) {
      const name = f.required ? `\`${f.path}\` (required)` : `\`${f.path}\``;
      parts.push(`| ${name} | ${cell(f.type)} | ${f.mesos ? cell(f.mesos) : ""} | ${cell(f.description)} |`);
    }
    parts.push("");
  }
  return parts.join("\n");
}

/** Replace the generated section of docs/api.md, keeping the hand-written text around it. */
export function spliceFieldTables(markdown: string, defs: readonly KindDefinition[]): string {
  const begin = markdown.indexOf(DOCS_BEGIN);
  const end = markdown.indexOf(DOCS_END);
  if (begin < 0 || end < begin) throw new Error(`docs/api.md lacks the ${DOCS_BEGIN} … ${DOCS_END} markers`);
  return `${markdown.slice(0, begin + DOCS_BEGIN.length)}\n\n${renderFieldTables(defs)}\n${markdown.slice(end)}`;
}
