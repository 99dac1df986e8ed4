import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ValidateFunction } from "ajv";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { z } from "zod";
import { buildCrd, GROUP, type JsonSchema, openApiSchema, toStructural, VERSION } from "./crd.ts";
import { generatedFiles, staleCrdFiles } from "./generated.ts";
import { KINDS } from "./index.ts";
import {
  invalidCases,
  type Manifest,
  validFramework,
  validOffer,
  validRole,
  validTask,
  validUpdates,
} from "./invalidManifests.ts";
import { compileOpenApi, kubeAjv, mergePatch } from "./testing.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ajv = kubeAjv();
const kindOf = (kind: string) => {
  const def = KINDS.find((k) => k.kind === kind);
  if (!def) throw new Error(`unknown kind ${kind}`);
  return def;
};
type Crd = {
  spec: {
    names: { kind: string; shortNames: string[]; categories: string[] };
    scope: string;
    versions: {
      name: string;
      subresources: unknown;
      additionalPrinterColumns: { name: string }[];
      schema: { openAPIV3Schema: JsonSchema };
    }[];
  };
};
const crdOf = (kind: string) => buildCrd(kindOf(kind)) as Crd;
const validators = new Map<string, ValidateFunction>(
  KINDS.map((k) => [k.kind, compileOpenApi(ajv, crdOf(k.kind).spec.versions[0]!.schema.openAPIV3Schema)]),
);

/** Both judges on a whole object: the CRD schema (ajv, no CEL) and zod (with CEL mirrors). */
function judge(m: unknown) {
  const kind = (m as Manifest).kind;
  const validate = validators.get(kind)!;
  const structural = validate(m) as boolean;
  const parsed = kindOf(kind).schema.safeParse(m);
  return { structural, errors: ajv.errorsText(validate.errors), zod: parsed };
}

describe("generated files", () => {
  it("crds/ and docs/api.md are up to date (run `npm run generate`)", () => {
    const files = generatedFiles(root);
    for (const [path, content] of files) {
      expect(readFileSync(join(root, path), "utf8"), `${path} is stale: run npm run generate`).toBe(content);
    }
    expect(staleCrdFiles(root, files), "crds/ holds CRDs no kind generates: run npm run generate").toEqual(
      [],
    );
  });
});

describe("CRDs", () => {
  const columns: Record<string, string[]> = {
    Framework: ["ID", "Roles", "Phase", "Tasks", "Age"],
    Offer: ["Framework", "Node", "CPUs", "Mem", "Phase", "Expires"],
    Task: ["State", "Node", "CPUs", "Mem", "Reason", "Age"],
    Role: ["Weight", "Share", "Quota"],
  };
  const names: Record<string, [string, string]> = {
    Framework: ["mfw", "Namespaced"],
    Offer: ["moffer", "Namespaced"],
    Task: ["mtask", "Namespaced"],
    Role: ["mrole", "Cluster"],
  };

  it.each(KINDS.map((k) => k.kind))(
    "%s has its names, scope, status subresource and printer columns",
    (kind) => {
      const crd = crdOf(kind);
      const [shortName, scope] = names[kind]!;
      expect(crd.spec.names.shortNames).toEqual([shortName]);
      expect(crd.spec.names.categories).toEqual(["mesos"]);
      expect(crd.spec.scope).toBe(scope);
      const v = crd.spec.versions[0]!;
      expect(v.name).toBe(VERSION);
      expect(v.subresources).toEqual({ status: {} });
      const printed = v.additionalPrinterColumns.map((c) => c.name);
      expect(printed.slice(0, columns[kind]!.length).map((c) => c.toUpperCase())).toEqual(
        columns[kind]!.map((c) => c.toUpperCase()),
      );
      const status = (v.schema.openAPIV3Schema.properties as Record<string, JsonSchema>).status!;
      const statusProps = status.properties as Record<string, JsonSchema>;
      expect(statusProps.observedGeneration?.type).toBe("integer");
      expect(statusProps.conditions?.["x-kubernetes-list-type"]).toBe("map");
    },
  );

  it("is in group mesos.operator.dev", () => {
    expect(GROUP).toBe("mesos.operator.dev");
  });

  it("every transition rule reads oldSelf and every other rule has a zod mirror", () => {
    // cel() refuses a rule without oldSelf and without a mirror when the module loads; here we
    // check the other direction: rules that read oldSelf are only in the CRD, never in zod.
    const rules: { rule: string }[] = [];
    const walk = (s: unknown): void => {
      if (Array.isArray(s)) s.forEach(walk);
      else if (s && typeof s === "object")
        for (const [k, v] of Object.entries(s)) {
          if (k === "x-kubernetes-validations") rules.push(...(v as { rule: string }[]));
          else walk(v);
        }
    };
    for (const k of KINDS) walk(crdOf(k.kind));
    expect(rules.length).toBeGreaterThan(20);
    expect(rules.filter((r) => r.rule.includes("oldSelf")).length).toBeGreaterThanOrEqual(8);
  });
});

describe("structural conversion", () => {
  it("maps integer|string unions to x-kubernetes-int-or-string", () => {
    const s = openApiSchema(
      z.object({ port: z.union([z.number().int(), z.string().max(5)]).describe("A port.") }),
    );
    expect((s.properties as Record<string, unknown>).port).toEqual({
      "x-kubernetes-int-or-string": true,
      description: "A port.",
    });
  });

  it("refuses what a structural schema cannot hold, and fields without descriptions or bounds", () => {
    expect(() =>
      openApiSchema(z.object({ x: z.union([z.string().max(1), z.boolean()]).describe("x") })),
    ).toThrow(/integer\|string/);
    expect(() => openApiSchema(z.object({ x: z.string().max(3) }))).toThrow(/x: fields need a description/);
    expect(() => openApiSchema(z.object({ x: z.string().describe("x") }))).toThrow(/strings need maxLength/);
    expect(() => openApiSchema(z.object({ x: z.array(z.number()).describe("x") }))).toThrow(
      /lists need maxItems/,
    );
    expect(() => openApiSchema(z.object({ x: z.record(z.string(), z.number()).describe("x") }))).toThrow(
      /maxProperties/,
    );
    expect(() => toStructural({ $ref: "#/x" }, "f")).toThrow(/\$ref/);
    expect(() => toStructural({ type: "string", const: "a", maxLength: 1 }, "f")).toThrow(/const/);
  });

  it("drops zod's safe-integer bounds and its date-time pattern", () => {
    const s = openApiSchema(
      z.object({
        n: z.number().int().describe("n"),
        t: z.iso.datetime({ offset: true }).describe("t"),
      }),
    );
    expect((s.properties as Record<string, unknown>).n).toEqual({ type: "integer", description: "n" });
    expect((s.properties as Record<string, unknown>).t).toEqual({
      type: "string",
      format: "date-time",
      description: "t",
    });
  });
});

describe("examples/", () => {
  const dir = join(root, "examples");
  const docs = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) =>
      parseAllDocuments(readFileSync(join(dir, f), "utf8")).map((d, i) => [`${f}#${i}`, d.toJS()] as const),
    );

  it("has the five examples the issue asks for", () => {
    const files = new Set(docs.map(([n]) => n.split("#")[0]));
    for (const f of [
      "framework.yaml",
      "task.yaml",
      "task-group.yaml",
      "role-with-quota.yaml",
      "task-with-constraints.yaml",
    ])
      expect(files).toContain(f);
  });

  it.each(docs)("%s is valid for the CRD schema and for zod", (_, m) => {
    const r = judge(m);
    expect(r.structural, r.errors).toBe(true);
    expect(r.zod.success, JSON.stringify(r.zod.error?.issues)).toBe(true);
  });
});

describe("invalid manifests (the e2e corpus) are refused by zod and the CRD schema alike", () => {
  it.each([validFramework, validTask, validOffer, validRole].map((m) => [m.kind, m] as const))(
    "the %s base object is valid",
    (_, m) => {
      const r = judge(m);
      expect(r.structural, r.errors).toBe(true);
      expect(r.zod.success, JSON.stringify(r.zod.error?.issues)).toBe(true);
    },
  );

  it.each(invalidCases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const target = c.update ?? (c.statusPatch ? mergePatch(c.manifest, c.statusPatch) : c.manifest);
    const r = judge(target);
    if (c.kind === "schema") {
      expect(r.structural, "the CRD schema accepts it").toBe(false);
      expect(r.zod.success, "zod accepts it").toBe(false);
    } else if (c.kind === "cel") {
      expect(r.structural, r.errors).toBe(true);
      expect(r.zod.error?.issues.map((i) => i.message)).toContain(c.message);
    } else {
      // A transition: both objects are valid on their own; only the rule comparing them refuses.
      for (const m of [c.manifest, target]) {
        const j = judge(m);
        expect(j.structural, j.errors).toBe(true);
        expect(j.zod.success, JSON.stringify(j.zod.error?.issues)).toBe(true);
      }
      expect(JSON.stringify(crdOf(c.manifest.kind))).toContain(JSON.stringify(c.message));
    }
  });

  it.each(validUpdates.map((u) => [u.name, u] as const))(
    "valid update %s is valid before and after",
    (_, u) => {
      for (const m of [u.manifest, u.update]) expect(judge(m).zod.success).toBe(true);
    },
  );
});
