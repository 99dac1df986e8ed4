// Regenerates crds/*.yaml and the field tables of docs/api.md from the zod schemas in
// controllers/api/. Run with `npm run generate`; the unit test in controllers/api fails when the
// committed files differ from what this writes.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatedFiles, staleCrdFiles } from "../controllers/api/generated.ts";
import { writeGeneratedFiles } from "./generatedFiles.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const files = generatedFiles(root);
writeGeneratedFiles(root, files, staleCrdFiles(root, files));
