// Writes a set of generated files (path relative to root → content) and removes stale ones,
// touching only files whose content changed, and saying what it did. Shared by the generators
// run by `npm run generate`.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

export function writeGeneratedFiles(root: string, files: Map<string, string>, stale: string[]): void {
  for (const [path, content] of files) {
    const full = join(root, path);
    if (readIfPresent(full) === content) continue;
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    console.log(`wrote ${path}`);
  }
  for (const path of stale) {
    rmSync(join(root, path));
    console.log(`removed ${path}`);
  }
}
