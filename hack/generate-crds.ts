// Regenerates crds/*.yaml and the field tables of docs/api.md from the zod schemas in
// controllers/api/. Run with `npm run generate`; the unit test in controllers/api fails when the
// committed files differ from what this writes.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatedFiles, staleCrdFiles } from "../controllers/api/generated.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const files = generatedFiles(root);
for (const [path, content] of files) {
  const full = join(root, path);
  let old: string | undefined;
  try {
    old = readFileSync(full, "utf8");
  } catch {
    old = undefined;
  }
  if (old === content) continue;
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
  console.log(`wrote ${path}`);
}
for (const path of staleCrdFiles(root, files)) {
  rmSync(join(root, path));
  console.log(`removed ${path}`);
}
