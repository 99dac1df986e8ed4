// The API against a real API server: crds/ apply, examples/ apply and show up in `kubectl get mesos`
// with their printer columns, `kubectl explain` reads our descriptions, and every manifest in
// controllers/api/invalidManifests.ts is refused with its specific message.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { KINDS } from "../../controllers/api/index.ts";
import {
  invalidCases,
  type Manifest,
  validOffer,
  validUpdates,
} from "../../controllers/api/invalidManifests.ts";
import { repoRoot, tool } from "./support/paths.ts";
import { waitFor } from "./support/wait.ts";

const kubectlBin = process.env.KUBECTL ?? tool("kubectl");
const run = Date.now().toString(36);
const ns = `crd-e2e-${run}`;
const runLabel = { "e2e.mesos.operator.dev/run": run };

interface Result {
  ok: boolean;
  out: string;
  err: string;
}

function kubectl(args: string[], input?: string): Result {
  const r = spawnSync(kubectlBin, args, {
    input,
    encoding: "utf8",
    env: { ...process.env, KUBECONFIG: inject("kubeconfig") },
    timeout: 60_000,
  });
  return {
    ok: r.status === 0,
    out: r.stdout ?? "",
    err: `${r.stderr ?? ""}${r.error ? String(r.error) : ""}`,
  };
}

function must(args: string[], input?: string): string {
  const r = kubectl(args, input);
  if (!r.ok) throw new Error(`kubectl ${args.join(" ")} failed: ${r.err}`);
  return r.out;
}

const isCluster = (m: Manifest) => m.kind === "Role";
/** Role is cluster-scoped: give its objects a per-run name so runs do not collide. */
function scoped(m: Manifest): Manifest {
  const name = isCluster(m) ? `${m.metadata.name}-${run}` : m.metadata.name;
  return { ...m, metadata: { ...m.metadata, name, labels: runLabel } as Manifest["metadata"] };
}
const resource = (m: Manifest) => `${m.kind.toLowerCase()}s.mesos.operator.dev/${scoped(m).metadata.name}`;
const nsArgs = (m: Manifest) => (isCluster(m) ? [] : ["-n", ns]);

beforeAll(() => {
  must(["apply", "-f", join(repoRoot, "crds")]);
  must([
    "wait",
    "--for=condition=Established",
    "--timeout=60s",
    ...KINDS.map((k) => `crd/${k.plural}.mesos.operator.dev`),
  ]);
  must(["create", "namespace", ns]);
});

afterAll(() => {
  kubectl(["delete", "namespace", ns, "--wait=false", "--ignore-not-found"]);
  kubectl([
    "delete",
    "roles.mesos.operator.dev",
    "-l",
    `e2e.mesos.operator.dev/run=${run}`,
    "--ignore-not-found",
  ]);
  kubectl(["delete", "-f", join(repoRoot, "examples", "role-with-quota.yaml"), "--ignore-not-found"]);
});

describe("CRDs", () => {
  it("are established with names, short names and the mesos category", () => {
    for (const k of KINDS) {
      const crd = JSON.parse(must(["get", "crd", `${k.plural}.mesos.operator.dev`, "-o", "json"]));
      expect(crd.spec.names.shortNames).toEqual(k.shortNames);
      expect(crd.spec.names.categories).toEqual(["mesos"]);
      expect(crd.spec.scope).toBe(k.scope);
    }
  });

  it("apply the examples, and kubectl get mesos shows them with the printer columns", async () => {
    must(["apply", "-n", ns, "-f", join(repoRoot, "examples")]);
    must(["create", "-n", ns, "-f", "-"], JSON.stringify(scoped(validOffer)));
    const out = must(["get", "mesos", "-n", ns]);
    expect(out).toMatch(/NAME\s+ID\s+ROLES\s+PHASE\s+TASKS\s+AGE/);
    expect(out).toMatch(/NAME\s+FRAMEWORK\s+NODE\s+CPUS\s+MEM\s+PHASE\s+EXPIRES/);
    expect(out).toMatch(/NAME\s+STATE\s+NODE\s+CPUS\s+MEM\s+REASON\s+AGE/);
    expect(out).toMatch(/NAME\s+WEIGHT\s+SHARE\s+QUOTA/);
    expect(out).toMatch(/framework\.mesos\.operator\.dev\/marathon\s+\["web","analytics"\]/);
    expect(out).toMatch(/offer\.mesos\.operator\.dev\/offer\s+fw\s+node-1\s+4\s+8192/);
    expect(out).toMatch(/task\.mesos\.operator\.dev\/web-0\s+0\.5\s+128/);
    expect(out).toMatch(/role\.mesos\.operator\.dev\/analytics\s+2\s+\{"guarantee"/);
    // Defaults from the schema are applied by the API server.
    const web = JSON.parse(must(["get", "-n", ns, "mtask", "web-0", "-o", "json"]));
    expect(web.spec.container.type).toBe("MESOS");
    expect(web.spec.healthCheck.consecutiveFailures).toBe(3);
    // Selectable fields.
    const sel = must([
      "get",
      "-n",
      ns,
      "mtask",
      "--field-selector",
      "spec.frameworkName=marathon",
      "-o",
      "name",
    ]);
    expect(sel.trim().split("\n")).toHaveLength(4);
  });

  it("kubectl explain shows the descriptions of nested fields", async () => {
    // The OpenAPI document is published shortly after the CRD is established.
    const out = await waitFor("kubectl explain task.spec.command", async () => {
      const r = kubectl(["explain", "task.spec.command"]);
      return r.ok ? r.out : undefined;
    });
    expect(out).toContain("Mesos CommandInfo");
    expect(out).toMatch(/shell\s+<boolean>/);
    expect(out).toMatch(/arguments\s+<\[\]string>/);
    const nested = must(["explain", "task.spec.resources.ports.begin"]);
    expect(nested).toContain("First port of the range");
    const offer = must(["explain", "moffer.spec.decline.refuseSeconds"]);
    expect(offer).toContain("365 days");
  });
});

describe("the API server refuses invalid objects with a clear message", () => {
  it("has at least 20 distinct cases", () => {
    expect(new Set(invalidCases.map((c) => c.name)).size).toBe(invalidCases.length);
    expect(invalidCases.length).toBeGreaterThanOrEqual(20);
  });

  for (const c of invalidCases) {
    it(`${c.kind}: ${c.name}`, () => {
      const m = scoped(c.manifest);
      let r: Result;
      if (c.update) {
        must(["create", ...nsArgs(m), "-f", "-"], JSON.stringify(m));
        r = kubectl(["replace", ...nsArgs(m), "-f", "-"], JSON.stringify(scoped(c.update)));
      } else if (c.statusPatch) {
        must(["create", ...nsArgs(m), "-f", "-"], JSON.stringify(m));
        r = kubectl([
          "patch",
          ...nsArgs(m),
          resource(m),
          "--subresource=status",
          "--type=merge",
          "-p",
          JSON.stringify(c.statusPatch),
        ]);
      } else {
        r = kubectl(["create", ...nsArgs(m), "-f", "-"], JSON.stringify(m));
      }
      expect(r.ok, `expected a refusal, got: ${r.out}`).toBe(false);
      expect(r.err).toContain(c.message);
    });
  }

  for (const u of validUpdates) {
    it(`allows the valid update ${u.name}`, () => {
      const m = scoped(u.manifest);
      must(["create", ...nsArgs(m), "-f", "-"], JSON.stringify(m));
      must(["replace", ...nsArgs(m), "-f", "-"], JSON.stringify(scoped(u.update)));
    });
  }
});
