import { execFileSync } from "node:child_process";
import { describe, it } from "vitest";

// Typecheck and lint run inside `npm test` so that CI (which runs exactly `npm test`) fails on
// either, with the tool's own report as the failure message.
function run(cmd: string, args: string[]): void {
  try {
    execFileSync(cmd, args, { encoding: "utf8", stdio: "pipe" });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${e.stdout ?? ""}${e.stderr ?? ""}`.slice(0, 20_000));
  }
}

describe("static checks", () => {
  it(
    "typechecks (tsc --noEmit, strict)",
    () => run("npx", ["tsc", "-p", "tsconfig.json", "--noEmit"]),
    180_000,
  );
  it("lints and is formatted (biome check)", () => run("npx", ["biome", "check", "."]), 60_000);
});
