// The Helm chart against a live cluster: its renders (default and non-default values) pass the API
// server's own validation (server-side dry run, strict field validation); `helm install` creates
// every object and establishes the CRDs; the chart's ServiceAccount, authenticated by a token
// from the TokenRequest API, is allowed every request the operator makes and refused others;
// the Mesos API Service follows the leader label; `helm upgrade` applies a changed value; and
// `helm uninstall` leaves nothing but the CRDs the documented policy keeps.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import { kubeClients, mergePatch } from "./support/kube.ts";
import { repoRoot, tool } from "./support/paths.ts";
import {
  canI,
  deniedPermissions,
  describePermission,
  operatorPermissions,
  type ServiceAccountKubeconfig,
  serviceAccountKubeconfig,
} from "./support/serviceAccount.ts";
import { waitFor } from "./support/wait.ts";

const chart = join(repoRoot, "charts", "mesos-operator");
const nonDefaultValues = join(chart, "ci", "non-default-values.yaml");
const run = Date.now().toString(36);
const ns = `helm-e2e-${run}`;
const otherNs = `helm-e2e-${run}-other`;
const release = `mo-${run}`;
const fullname = `${release}-mesos-operator`;
const leaseName = `${fullname}-leader`;
const leaderLabel = "mesos.operator.dev/leader";
const crdNames = ["frameworks", "offers", "tasks", "roles"].map((k) => `${k}.mesos.operator.dev`);
const serviceMonitorCrd = "servicemonitors.monitoring.coreos.com";

const c = kubeClients();
let createdServiceMonitorCrd = false;

interface Result {
  ok: boolean;
  out: string;
  err: string;
}

function exec(bin: string, args: string[], input?: string, kubeconfig = inject("kubeconfig")): Result {
  const r = spawnSync(bin, args, {
    input,
    encoding: "utf8",
    env: { ...process.env, KUBECONFIG: kubeconfig },
    timeout: 180_000,
  });
  return {
    ok: r.status === 0,
    out: r.stdout ?? "",
    err: `${r.stderr ?? ""}${r.error ? String(r.error) : ""}`,
  };
}

/**
 * kubectl's stderr without its note that an existing CRD lacks the last-applied annotation: other
 * e2e files install the CRDs with server-side apply (which writes none) before this file may run,
 * so the note says how the cluster was set up, not anything about the chart.
 */
const warningsAboutTheChart = (stderr: string): string =>
  stderr
    .split("\n")
    .filter(
      (l) =>
        !/^Warning: resource customresourcedefinitions\/\S+ is missing the kubectl\.kubernetes\.io\/last-applied-configuration annotation/.test(
          l,
        ),
    )
    .join("\n")
    .trim();

const kubectl = (args: string[], input?: string, kubeconfig?: string) =>
  exec(tool("kubectl"), args, input, kubeconfig);
const helm = (args: string[]) => exec(tool("helm"), args);

function must(r: Result, what: string): string {
  if (!r.ok) throw new Error(`${what} failed:\n${r.err}${r.out}`);
  return r.out;
}

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

function manifests(yamlText: string): Manifest[] {
  return parseAllDocuments(yamlText)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

/** kubectl's name for one object: Kind.version.group/name (unambiguous, no discovery guesswork). */
function ref(m: Manifest): string {
  const [group, version] = m.apiVersion.includes("/") ? m.apiVersion.split("/") : ["", m.apiVersion];
  return `${m.kind}.${version}.${group}/${m.metadata.name}`;
}

function exists(m: Manifest): boolean {
  const r = kubectl(["get", ref(m), "-n", ns, "--ignore-not-found", "-o", "name"]);
  if (!r.ok) throw new Error(`kubectl get ${ref(m)} failed: ${r.err}`);
  return r.out.trim() !== "";
}

/** Installed CRDs of ours need Helm's ownership metadata for this release, else install refuses them. */
function adoptExistingCrds(): void {
  for (const crd of crdNames) {
    if (kubectl(["get", "crd", crd, "-o", "name"]).ok) {
      must(
        kubectl(["label", "crd", crd, "app.kubernetes.io/managed-by=Helm", "--overwrite"]),
        `label ${crd}`,
      );
      must(
        kubectl([
          "annotate",
          "crd",
          crd,
          "--overwrite",
          `meta.helm.sh/release-name=${release}`,
          `meta.helm.sh/release-namespace=${ns}`,
        ]),
        `annotate ${crd}`,
      );
    }
  }
}

/**
 * A stand-in for the Prometheus Operator's ServiceMonitor CRD, for clusters without it: the fields
 * the chart renders, with the Prometheus Operator's names and types, so strict field validation
 * catches a misspelt field. (The real CRD is not vendored here.)
 */
function serviceMonitorStandIn(): string {
  const str = { type: "string" };
  const labelSelector = {
    type: "object",
    properties: {
      matchLabels: { type: "object", additionalProperties: str },
      matchExpressions: {
        type: "array",
        items: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
      },
    },
  };
  return stringify({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: serviceMonitorCrd, labels: { "e2e.mesos.operator.dev/stand-in": "true" } },
    spec: {
      group: "monitoring.coreos.com",
      names: {
        kind: "ServiceMonitor",
        listKind: "ServiceMonitorList",
        plural: "servicemonitors",
        singular: "servicemonitor",
      },
      scope: "Namespaced",
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: {
                spec: {
                  type: "object",
                  required: ["selector"],
                  properties: {
                    selector: labelSelector,
                    namespaceSelector: {
                      type: "object",
                      properties: { any: { type: "boolean" }, matchNames: { type: "array", items: str } },
                    },
                    endpoints: {
                      type: "array",
                      items: {
                        type: "object",
                        properties: {
                          port: str,
                          path: str,
                          interval: {
                            type: "string",
                            pattern: "^(0|(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$",
                          },
                          scrapeTimeout: {
                            type: "string",
                            pattern: "^(0|(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$",
                          },
                          relabelings: {
                            type: "array",
                            items: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      ],
    },
  });
}

beforeAll(() => {
  must(kubectl(["create", "namespace", ns]), "create namespace");
  adoptExistingCrds();
});

afterAll(() => {
  helm(["uninstall", release, "-n", ns, "--wait", "--timeout", "60s"]);
  kubectl(["delete", "namespace", ns, "--wait=false", "--ignore-not-found"]);
  if (createdServiceMonitorCrd)
    kubectl(["delete", "crd", serviceMonitorCrd, "--ignore-not-found", "--wait=false"]);
});

describe("Helm chart on a live cluster", () => {
  it("renders objects the API server accepts (server-side dry run, strict validation), default values", () => {
    const rendered = must(helm(["template", release, chart, "-n", ns]), "helm template");
    const r = kubectl(["apply", "--dry-run=server", "--validate=strict", "-n", ns, "-f", "-"], rendered);
    expect(warningsAboutTheChart(r.err)).toBe("");
    expect(r.ok).toBe(true);
    const objects = manifests(rendered);
    expect(r.out.trim().split("\n")).toHaveLength(objects.length);
  });

  it("renders objects the API server accepts (server-side dry run, strict validation), non-default values", () => {
    if (!kubectl(["get", "crd", serviceMonitorCrd, "-o", "name"]).ok) {
      must(kubectl(["create", "-f", "-"], serviceMonitorStandIn()), "create the ServiceMonitor stand-in CRD");
      createdServiceMonitorCrd = true;
      must(
        kubectl(["wait", "--for=condition=Established", "--timeout=60s", `crd/${serviceMonitorCrd}`]),
        "ServiceMonitor CRD established",
      );
    }
    const rendered = must(
      helm(["template", release, chart, "-n", ns, "-f", nonDefaultValues]),
      "helm template",
    );
    const objects = manifests(rendered);
    expect(objects.map((o) => o.kind)).toContain("ServiceMonitor");
    const r = kubectl(["apply", "--dry-run=server", "--validate=strict", "-n", ns, "-f", "-"], rendered);
    expect(warningsAboutTheChart(r.err)).toBe("");
    expect(r.ok).toBe(true);
    expect(r.out.trim().split("\n")).toHaveLength(objects.length);
  });

  it("installs: CRDs established, every rendered object created, the replicas running", () => {
    must(helm(["install", release, chart, "-n", ns, "--wait", "--timeout", "120s"]), "helm install");
    must(
      kubectl(["wait", "--for=condition=Established", "--timeout=60s", ...crdNames.map((n) => `crd/${n}`)]),
      "CRDs established",
    );
    const objects = manifests(must(helm(["get", "manifest", release, "-n", ns]), "helm get manifest"));
    expect(objects.length).toBeGreaterThanOrEqual(13);
    const missing = objects.filter((o) => !exists(o)).map(ref);
    expect(missing).toEqual([]);
    const deployment = JSON.parse(
      must(kubectl(["get", "deployment", fullname, "-n", ns, "-o", "json"]), "get deployment"),
    ) as {
      status: { readyReplicas?: number };
    };
    expect(deployment.status.readyReplicas).toBe(2);
  });

  describe("as the chart's ServiceAccount (token from the TokenRequest API)", () => {
    let sa: ServiceAccountKubeconfig;
    beforeAll(async () => {
      sa = await serviceAccountKubeconfig(c.kc, { namespace: ns, name: fullname });
    });

    it("is allowed every request the operator makes", async () => {
      const refused: string[] = [];
      for (const p of operatorPermissions(leaseName)) {
        const where = p.scope === "cluster" ? "" : ns;
        const answer = await canI(sa.kc, p, where);
        if (!answer.allowed) refused.push(describePermission(p, where));
      }
      expect(refused).toEqual([]);
    });

    it("is refused requests the operator does not make", async () => {
      const allowed: string[] = [];
      for (const { permission, namespace } of deniedPermissions(otherNs)) {
        const where = namespace ?? (permission.scope === "cluster" ? "" : ns);
        const answer = await canI(sa.kc, permission, where);
        if (answer.allowed) allowed.push(`${describePermission(permission, where)} (${answer.reason})`);
      }
      expect(allowed).toEqual([]);
    });

    it("authenticates for real: reads nodes, and is told clearly that it may not list Secrets", () => {
      const nodes = kubectl(["get", "nodes", "-o", "name"], undefined, sa.path);
      expect(nodes.err).toBe("");
      expect(nodes.out).toContain("node/");
      const secrets = kubectl(["get", "secrets", "--all-namespaces"], undefined, sa.path);
      expect(secrets.ok).toBe(false);
      expect(secrets.err).toContain(
        `User "system:serviceaccount:${ns}:${fullname}" cannot list resource "secrets" in API group "" at the cluster scope`,
      );
    });

    it("routes the Mesos API Service to the pod the leader labels, and follows the label", async () => {
      // What the operator's leader does on taking over: label its own pod, unlabel the others.
      // Done here with the ServiceAccount's own permission (pods patch in the release namespace).
      const asOperator = sa.kc.makeApiClient(k8s.CoreV1Api);
      const pods = await c.core.listNamespacedPod({
        namespace: ns,
        labelSelector: `app.kubernetes.io/instance=${release}`,
      });
      const [first, second] = pods.items;
      if (!first?.metadata?.name || !second?.metadata?.name) throw new Error("expected two operator pods");
      const label = async (name: string, value: "true" | null) =>
        asOperator.patchNamespacedPod(
          { name, namespace: ns, body: { metadata: { labels: { [leaderLabel]: value } } } },
          mergePatch,
        );
      const endpointsOf = async (service: string): Promise<string[]> => {
        const slices = await c.kc.makeApiClient(k8s.DiscoveryV1Api).listNamespacedEndpointSlice({
          namespace: ns,
          labelSelector: `kubernetes.io/service-name=${service}`,
        });
        return slices.items
          .flatMap((s) => s.endpoints ?? [])
          .flatMap((e) => (e.conditions?.ready === false ? [] : [e.targetRef?.name ?? ""]))
          .sort();
      };
      const waitEndpoints = (service: string, want: string[]) =>
        waitFor(`Service ${service} to route to ${want.join(", ") || "no pod"}`, async () => {
          const got = await endpointsOf(service);
          return JSON.stringify(got) === JSON.stringify([...want].sort()) ? got : undefined;
        });

      await waitEndpoints(`${fullname}-mesos`, []);
      await label(first.metadata.name, "true");
      await waitEndpoints(`${fullname}-mesos`, [first.metadata.name]);
      // Failover: the new leader takes the label over.
      await label(second.metadata.name, "true");
      await label(first.metadata.name, null);
      await waitEndpoints(`${fullname}-mesos`, [second.metadata.name]);
      // Metrics of every replica, leader or not.
      await waitEndpoints(`${fullname}-metrics`, [first.metadata.name, second.metadata.name]);
      // The same permission does not reach pods elsewhere.
      await expect(
        asOperator.patchNamespacedPod(
          { name: "any", namespace: otherNs, body: { metadata: { labels: { x: "y" } } } },
          mergePatch,
        ),
      ).rejects.toMatchObject({ code: 403 });
    });
  });

  it("upgrades: a changed value takes effect", async () => {
    must(
      helm([
        "upgrade",
        release,
        chart,
        "-n",
        ns,
        "--reuse-values",
        "--set",
        "replicas=3",
        "--set",
        "config.logLevel=debug",
        "--wait",
        "--timeout",
        "120s",
      ]),
      "helm upgrade",
    );
    const deployment = await c.kc
      .makeApiClient(k8s.AppsV1Api)
      .readNamespacedDeployment({ name: fullname, namespace: ns });
    expect(deployment.spec?.replicas).toBe(3);
    const env = deployment.spec?.template.spec?.containers[0]?.env ?? [];
    expect(env.find((v) => v.name === "MESOS_OPERATOR_LOG_LEVEL")?.value).toBe("debug");
    expect(deployment.status?.readyReplicas).toBe(3);
    const status = JSON.parse(must(helm(["status", release, "-n", ns, "-o", "json"]), "helm status")) as {
      version: number;
    };
    expect(status.version).toBe(2);
  });

  it("uninstalls: every rendered object is gone except the CRDs, which the policy keeps", async () => {
    const objects = manifests(must(helm(["get", "manifest", release, "-n", ns]), "helm get manifest"));
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of [
      "CustomResourceDefinition",
      "Deployment",
      "Service",
      "ServiceAccount",
      "ClusterRole",
      "Role",
    ]) {
      expect(kinds).toContain(kind);
    }
    must(helm(["uninstall", release, "-n", ns, "--wait", "--timeout", "120s"]), "helm uninstall");

    const left = objects.filter(exists);
    expect(left.map(ref).sort()).toEqual(
      objects
        .filter((o) => o.kind === "CustomResourceDefinition")
        .map(ref)
        .sort(),
    );
    for (const crd of crdNames) {
      const annotations = JSON.parse(
        must(kubectl(["get", "crd", crd, "-o", "jsonpath={.metadata.annotations}"]), `get crd ${crd}`),
      ) as Record<string, string>;
      expect(annotations["helm.sh/resource-policy"]).toBe("keep");
    }
    // The Deployment's pods go with it, and Helm's release records too.
    await waitFor(
      "the operator pods to be deleted",
      async () =>
        (
          await c.core.listNamespacedPod({
            namespace: ns,
            labelSelector: `app.kubernetes.io/instance=${release}`,
          })
        ).items.length === 0,
      { timeoutMs: 60_000 },
    );
    const records = await c.core.listNamespacedSecret({
      namespace: ns,
      labelSelector: `owner=helm,name=${release}`,
    });
    expect(records.items).toEqual([]);
  });

  it("reinstalls under the same release name, adopting the kept CRDs", () => {
    must(helm(["install", release, chart, "-n", ns, "--wait", "--timeout", "120s"]), "helm install again");
    must(helm(["uninstall", release, "-n", ns, "--wait", "--timeout", "120s"]), "helm uninstall again");
    for (const crd of crdNames) expect(kubectl(["get", "crd", crd, "-o", "name"]).ok).toBe(true);
  });
});
