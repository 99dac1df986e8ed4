// The files generated from the schemas: crds/*.yaml and the field tables in docs/api.md.
// Used by hack/generate-crds.ts (writes them) and by the unit test that fails when they are stale.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CRD_HEADER, crdFileName, renderCrd, spliceFieldTables } from "./crd.ts";
import { KINDS } from "./index.ts";

export const CRD_DIR = "crds";
export const API_DOC = join("docs", "api.md");

/** Every generated file (path relative to the repository root → content). */
export function generatedFiles(repoRoot: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const def of KINDS) files.set(join(CRD_DIR, crdFileName(def)), renderCrd(def));
  const doc = readFileSync(join(repoRoot, API_DOC), "utf8");
  files.set(API_DOC, spliceFieldTables(doc, KINDS));
  return files;
}

/** Generated CRD files present in crds/ that no kind produces any more. */
export function staleCrdFiles(repoRoot: string, files: Map<string, string>): string[] {
  const dir = join(repoRoot, CRD_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => join(CRD_DIR, f))
    .filter(
      (f) =>
        !files.has(f) && readFileSync(join(repoRoot, f), "utf8").startsWith(CRD_HEADER.split("\n")[0] ?? ""),
    );
}
