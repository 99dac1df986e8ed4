// The Helm chart (charts/mesos-operator) without a cluster: `helm lint --strict`, `helm template`
// with the default and the non-default values (ci/), what the rendered objects must hold (RBAC
// exactly as the operator needs it, the restricted security context, the leader-only Service,
// the operator's environment as controllers/config.ts reads it), values the schema and the
// templates refuse with their messages, and the generated parts (CRD copies, README values table).
// The same renders are validated by a live API server in test/e2e/helmChart.test.ts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments, stringify } from "yaml";
import { LabelSelectorError, parseLabelSelector } from "../controllers/cluster/labelSelector.ts";
import { ConfigError, configReference, parseConfig } from "../controllers/config.ts";
import { repoRoot, tool } from "../test/e2e/support/paths.ts";
import { operatorPermissions, type Permission } from "../test/e2e/support/serviceAccount.ts";
import { CHART_DIR, readmeWithValuesTable } from "./chart-values-doc.ts";
import { chartCrdFiles, orphanChartCrdFiles } from "./sync-chart-crds.ts";

const chart = join(repoRoot, CHART_DIR);
const nonDefaultValues = join(chart, "ci", "non-default-values.yaml");
const release = "mesos";
const namespace = "mesos-system";

interface Run {
  ok: boolean;
  stdout: string;
  stderr: string;
}

function helm(args: string[]): Run {
  const r = spawnSync(tool("helm"), args, { encoding: "utf8", timeout: 60_000 });
  return {
    ok: r.status === 0,
    stdout: r.stdout ?? "",
    stderr: `${r.stderr ?? ""}${r.error ? String(r.error) : ""}`,
  };
}

/** A rendered Kubernetes object, as far as these tests read it. */
interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

function render(valuesFiles: string[] = [], extra: string[] = []): KubeObject[] {
  const r = helm([
    "template",
    release,
    chart,
    "--namespace",
    namespace,
    ...valuesFiles.flatMap((f) => ["-f", f]),
    ...extra,
  ]);
  if (!r.ok) throw new Error(`helm template failed:\n${r.stderr}`);
  return parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

/** Writes `values` to a temporary values file and renders with it; returns helm's error text. */
function renderError(values: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), "chart-values-")), "values.yaml");
  writeFileSync(file, stringify(values));
  const r = helm(["template", release, chart, "--namespace", namespace, "-f", file]);
  if (r.ok) throw new Error(`helm template accepted ${JSON.stringify(values)}`);
  return r.stderr;
}

const one = (objects: KubeObject[], kind: string, name?: string): KubeObject => {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1)
    throw new Error(`expected one ${kind}${name ? ` ${name}` : ""}, found ${found.length}`);
  return found[0]!;
};

// Typed views of the parts of rendered objects these tests look into.
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}
interface Container {
  name: string;
  image: string;
  env: EnvVar[];
  ports: { name: string; containerPort: number }[];
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  serviceAccountName: string;
  securityContext: Record<string, unknown>;
  containers: Container[];
  volumes: { name: string; secret?: { secretName: string } }[];
  terminationGracePeriodSeconds: number;
}
interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

function podSpec(objects: KubeObject[]): PodSpec {
  const deployment = one(objects, "Deployment") as KubeObject & { spec: { template: { spec: PodSpec } } };
  return deployment.spec.template.spec;
}

function operatorContainer(objects: KubeObject[]): Container {
  const c = podSpec(objects).containers;
  expect(c.map((x) => x.name)).toEqual(["operator"]);
  return c[0]!;
}

/** The MESOS_OPERATOR_* variables with literal values: what the operator's parseConfig reads. */
function operatorEnv(container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of container.env)
    if (v.name.startsWith("MESOS_OPERATOR_") && v.value !== undefined) env[v.name] = v.value;
  return env;
}

/** Every rule of the rendered ClusterRole and Role as one permission per verb. */
function renderedPermissions(objects: KubeObject[]): Permission[] {
  const out: Permission[] = [];
  for (const kind of ["ClusterRole", "Role"] as const) {
    const rules = (one(objects, kind) as KubeObject & { rules: Rule[] }).rules;
    for (const rule of rules) {
      for (const group of rule.apiGroups) {
        for (const full of rule.resources) {
          const [resource, subresource] = full.split("/") as [string, string | undefined];
          for (const verb of rule.verbs) {
            for (const name of rule.resourceNames ?? [undefined]) {
              out.push({
                verb,
                group,
                resource,
                ...(subresource ? { subresource } : {}),
                scope: kind === "ClusterRole" ? "cluster" : "releaseNamespace",
                ...(name ? { name } : {}),
              });
            }
          }
        }
      }
    }
  }
  return out;
}

const permissionKey = (p: Permission) =>
  [p.scope, p.group, p.resource, p.subresource ?? "", p.name ?? "", p.verb].join(" ");

describe("chart: helm lint", () => {
  for (const [what, files] of [
    ["default values", []],
    ["non-default values", [nonDefaultValues]],
  ] as const) {
    it(`is clean with ${what} (--strict)`, () => {
      const r = helm(["lint", "--strict", chart, ...files.flatMap((f) => ["-f", f])]);
      expect(r.stderr + r.stdout).toContain("1 chart(s) linted, 0 chart(s) failed");
      expect(r.ok).toBe(true);
      // The only remark allowed is Helm's suggestion of an icon URL (no logo exists yet).
      const remarks = `${r.stdout}\n${r.stderr}`
        .split("\n")
        .filter((l) => /^\[(INFO|WARNING|ERROR)\]/.test(l));
      expect(remarks).toEqual(["[INFO] Chart.yaml: icon is recommended"]);
    });
  }
});

describe("chart: default values", () => {
  const objects = render();
  const fullname = `${release}-mesos-operator`;

  it("renders the documented objects and nothing else", () => {
    const kinds = objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(kinds).toEqual(
      [
        "ClusterRole/mesos-mesos-operator",
        "ClusterRoleBinding/mesos-mesos-operator",
        "CustomResourceDefinition/frameworks.mesos.operator.dev",
        "CustomResourceDefinition/offers.mesos.operator.dev",
        "CustomResourceDefinition/roles.mesos.operator.dev",
        "CustomResourceDefinition/tasks.mesos.operator.dev",
        "Deployment/mesos-mesos-operator",
        "PodDisruptionBudget/mesos-mesos-operator",
        "Role/mesos-mesos-operator",
        "RoleBinding/mesos-mesos-operator",
        "Service/mesos-mesos-operator-mesos",
        "Service/mesos-mesos-operator-metrics",
        "ServiceAccount/mesos-mesos-operator",
      ].sort(),
    );
    for (const o of objects) {
      expect(o.metadata.labels?.["app.kubernetes.io/instance"], `${o.kind} labels`).toBe(release);
      if (o.kind !== "CustomResourceDefinition" && !o.kind.startsWith("Cluster")) {
        expect(o.metadata.namespace, `${o.kind} namespace`).toBe(namespace);
      }
    }
  });

  it("ships the CRDs of crds/ unchanged, kept on uninstall", () => {
    const crds = objects.filter((o) => o.kind === "CustomResourceDefinition");
    expect(crds).toHaveLength(4);
    for (const crd of crds) {
      const source = parse(
        readFileSync(
          join(repoRoot, "crds", `mesos.operator.dev_${crd.metadata.name.split(".")[0]}.yaml`),
          "utf8",
        ),
      ) as KubeObject;
      expect(crd.spec, crd.metadata.name).toEqual(source.spec);
      expect(crd.metadata.annotations).toEqual({ "helm.sh/resource-policy": "keep" });
    }
  });

  it("runs 2 replicas with leader election, probes, resources and a restricted security context", () => {
    const deployment = one(objects, "Deployment") as KubeObject & { spec: { replicas: number } };
    expect(deployment.spec.replicas).toBe(2);
    const spec = podSpec(objects);
    expect(spec.serviceAccountName).toBe(fullname);
    expect(spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    const c = operatorContainer(objects);
    expect(c.image).toBe("mesos-operator:0.1.0");
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(c.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "metrics" });
    expect(c.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "metrics" });
    expect(c.resources.requests).toEqual({ cpu: "100m", memory: "256Mi" });
    expect(c.resources.limits).toEqual({ memory: "1Gi" });
    expect(c.ports).toEqual([
      { name: "mesos", containerPort: 5050, protocol: "TCP" },
      { name: "metrics", containerPort: 8080, protocol: "TCP" },
    ]);
    const env = operatorEnv(c);
    expect(env).toMatchObject({
      MESOS_OPERATOR_LEADER_ELECTION: "true",
      MESOS_OPERATOR_LEASE_NAMESPACE: namespace,
      MESOS_OPERATOR_LEASE_NAME: `${fullname}-leader`,
    });
    expect(c.env.find((v) => v.name === "MESOS_OPERATOR_IDENTITY")?.valueFrom).toEqual({
      fieldRef: { fieldPath: "metadata.name" },
    });
    const pdb = one(objects, "PodDisruptionBudget") as KubeObject & { spec: Record<string, unknown> };
    expect(pdb.spec.maxUnavailable).toBe(1);
  });

  it("gives the operator an environment its configuration parser accepts without warnings", () => {
    const env = operatorEnv(operatorContainer(objects));
    const { config, warnings } = parseConfig([], { ...env, MESOS_OPERATOR_IDENTITY: "pod-0" });
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      leaderElection: true,
      leaseNamespace: namespace,
      leaseName: `${fullname}-leader`,
      metricsPort: 8080,
      mesosApiPort: 5050,
      logLevel: "info",
      allocationIntervalMs: 1000,
      shutdownTimeoutSeconds: 25,
    });
    expect(config.offerTimeoutSeconds).toBeUndefined();
  });

  it("routes the Mesos API Service to the leader only, the metrics Service to every replica", () => {
    type Svc = KubeObject & {
      spec: { selector: Record<string, string>; ports: { port: number; targetPort: string }[] };
    };
    const mesos = one(objects, "Service", `${fullname}-mesos`) as Svc;
    const metrics = one(objects, "Service", `${fullname}-metrics`) as Svc;
    const pods = { "app.kubernetes.io/name": "mesos-operator", "app.kubernetes.io/instance": release };
    expect(mesos.spec.selector).toEqual({ ...pods, "mesos.operator.dev/leader": "true" });
    expect(mesos.spec.ports).toEqual([{ name: "mesos", port: 5050, targetPort: "mesos", protocol: "TCP" }]);
    expect(metrics.spec.selector).toEqual(pods);
    expect(metrics.spec.ports).toEqual([
      { name: "metrics", port: 8080, targetPort: "metrics", protocol: "TCP" },
    ]);
  });

  it("grants exactly the operator's permissions, without wildcards", () => {
    const rendered = renderedPermissions(objects);
    for (const p of rendered) {
      expect([p.verb, p.group, p.resource, p.name ?? ""].join(" ")).not.toContain("*");
    }
    const expected = operatorPermissions(`${fullname}-leader`);
    expect(rendered.map(permissionKey).sort()).toEqual(expected.map(permissionKey).sort());
    const binding = one(objects, "ClusterRoleBinding") as KubeObject & {
      subjects: unknown[];
      roleRef: { name: string };
    };
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: fullname, namespace }]);
    expect(binding.roleRef.name).toBe(fullname);
  });

  it("renders no ServiceMonitor unless enabled", () => {
    expect(objects.some((o) => o.kind === "ServiceMonitor")).toBe(false);
  });
});

describe("chart: non-default values (ci/non-default-values.yaml)", () => {
  const objects = render([nonDefaultValues]);

  it("renders every optional object and setting", () => {
    expect(objects.map((o) => o.kind).sort()).toContain("ServiceMonitor");
    const monitor = one(objects, "ServiceMonitor") as KubeObject & { spec: { endpoints: unknown[] } };
    expect(monitor.spec.endpoints).toEqual([
      {
        port: "metrics",
        path: "/metrics",
        interval: "15s",
        scrapeTimeout: "5s",
        relabelings: [{ sourceLabels: ["__meta_kubernetes_pod_node_name"], targetLabel: "node" }],
      },
    ]);
    const deployment = one(objects, "Deployment") as KubeObject & { spec: { replicas: number } };
    expect(deployment.spec.replicas).toBe(3);
    const c = operatorContainer(objects);
    expect(c.image).toBe(
      "registry.example.com/platform/mesos-operator@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    );
    expect(podSpec(objects).volumes).toContainEqual(
      expect.objectContaining({
        name: "credentials",
        secret: expect.objectContaining({ secretName: "mesos-credentials" }),
      }),
    );
    expect(c.volumeMounts).toContainEqual(expect.objectContaining({ name: "credentials" }));
    const pdb = one(objects, "PodDisruptionBudget") as KubeObject & { spec: Record<string, unknown> };
    expect(pdb.spec).toMatchObject({ minAvailable: 2 });
    expect(pdb.spec.maxUnavailable).toBeUndefined();
    const mesos = one(objects, "Service", "mesos-mo-mesos") as KubeObject & { spec: Record<string, unknown> };
    expect(mesos.spec).toMatchObject({ type: "LoadBalancer", loadBalancerSourceRanges: ["10.0.0.0/8"] });
    // crds.keep=false: no resource policy, so uninstall deletes the CRDs.
    for (const crd of objects.filter((o) => o.kind === "CustomResourceDefinition")) {
      expect(crd.metadata.annotations).toBeUndefined();
    }
    // The RBAC follows the lease name; Secrets are mounted, never granted.
    const rendered = renderedPermissions(objects);
    expect(rendered.map(permissionKey).sort()).toEqual(
      operatorPermissions("mesos-master").map(permissionKey).sort(),
    );
  });

  it("can set every operator option (a new option in controllers/config.ts needs a value here)", () => {
    const set = new Set(operatorContainer(objects).env.map((v) => v.name));
    // In a pod the operator uses the in-cluster ServiceAccount, never a kubeconfig file.
    const notForPods = new Set(["MESOS_OPERATOR_KUBECONFIG"]);
    const missing = configReference()
      .map((r) => r.env)
      .filter((name) => !set.has(name) && !notForPods.has(name));
    expect(missing).toEqual([]);
  });

  it("gives the operator an environment its configuration parser accepts", () => {
    const env = operatorEnv(operatorContainer(objects));
    const { config, warnings } = parseConfig([], { ...env, MESOS_OPERATOR_IDENTITY: "pod-0" });
    expect(config).toMatchObject({
      leaseName: "mesos-master",
      leaseDurationSeconds: 30,
      leaseRenewDeadlineSeconds: 20,
      leaseRetryPeriodSeconds: 2.5,
      metricsPort: 9090,
      mesosApiPort: 5051,
      logLevel: "debug",
      agentPortRanges: [
        { begin: 31000, end: 32000 },
        { begin: 40000, end: 40100 },
      ],
      allocationIntervalMs: 3_600_000,
      offerTimeoutSeconds: 60,
      defaultRefuseSeconds: 0.5,
      reconcileWorkers: 8,
      informerRelistSeconds: 0,
      informerResyncSeconds: 300,
      watchStallSeconds: 60,
      shutdownTimeoutSeconds: 50,
      authenticateHttpFrameworks: true,
      authenticateHttpOperators: true,
    });
    expect(config.credentialsFile).toMatch(/^\/etc\/mesos-operator\/credentials\/.+/);
    expect(config.agentSelector.text).toBe(
      "type=kwok, zone notin (edge), !node-role.kubernetes.io/control-plane",
    );
    // Every variable the chart sets is one the operator reads.
    expect(warnings).toEqual([]);
  });
});

describe("chart: values it refuses, with the message the user sees", () => {
  const cases: { what: string; values: unknown; message: string }[] = [
    {
      what: "a misspelt key",
      values: { replica: 3 },
      message: "additional properties 'replica' not allowed",
    },
    { what: "no replicas", values: { replicas: 0 }, message: "at '/replicas': minimum: got 0, want 1" },
    {
      what: "replicas as text",
      values: { replicas: "two" },
      message: "at '/replicas': got string, want integer",
    },
    {
      what: "an unknown pull policy",
      values: { image: { pullPolicy: "Sometimes" } },
      message: "at '/image/pullPolicy': value must be one of 'Always', 'IfNotPresent', 'Never'",
    },
    {
      what: "a digest that is not sha256",
      values: { image: { digest: "latest" } },
      message: "at '/image/digest': 'latest' does not match pattern",
    },
    {
      what: "an unknown log level",
      values: { config: { logLevel: "verbose" } },
      message:
        "at '/config/logLevel': value must be one of 'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'",
    },
    {
      what: "a too short allocation interval",
      values: { config: { allocationIntervalMs: 5 } },
      message: "at '/config/allocationIntervalMs': minimum: got 5, want 10",
    },
    {
      what: "a port out of range",
      values: { mesosApi: { port: 70000 } },
      message: "at '/mesosApi/port': maximum: got 70,000, want 65,535",
    },
    {
      what: "an unsupported Service type",
      values: { mesosApi: { service: { type: "ExternalName" } } },
      message: "at '/mesosApi/service/type': value must be one of 'ClusterIP', 'NodePort', 'LoadBalancer'",
    },
    {
      what: "a CPU request that is not a quantity",
      values: { resources: { requests: { cpu: "lots" } } },
      message: "at '/resources/requests/cpu': 'lots' does not match pattern",
    },
    {
      what: "a scrape interval that is not a duration",
      values: { metrics: { serviceMonitor: { interval: "30 seconds" } } },
      message: "at '/metrics/serviceMonitor/interval': '30 seconds' does not match pattern",
    },
    {
      what: "a PodDisruptionBudget in words",
      values: { podDisruptionBudget: { maxUnavailable: "half" } },
      message: "at '/podDisruptionBudget/maxUnavailable': 'half' does not match pattern '^[0-9]+%$'",
    },
    {
      what: "a boolean as text",
      values: { crds: { keep: "always" } },
      message: "at '/crds/keep': got string, want boolean",
    },
    {
      what: "several replicas without leader election",
      values: { leaderElection: { enabled: false } },
      message:
        "replicas is 2 but leaderElection.enabled is false: replicas would all allocate and offer the same resources. Enable leader election or set replicas to 1.",
    },
    {
      what: "a renew deadline as long as the lease",
      values: { leaderElection: { leaseDurationSeconds: 10, renewDeadlineSeconds: 10 } },
      message:
        "leaderElection.renewDeadlineSeconds (10) must be less than leaderElection.leaseDurationSeconds (10): a leader must give up before a standby may take over.",
    },
    {
      what: "a retry period as long as the renew deadline",
      values: { leaderElection: { retryPeriodSeconds: 10 } },
      message:
        "leaderElection.retryPeriodSeconds (10) must be less than leaderElection.renewDeadlineSeconds (10)",
    },
    {
      what: "a shutdown longer than the grace period",
      values: { config: { shutdownTimeoutSeconds: 30 } },
      message:
        "config.shutdownTimeoutSeconds (30) must be less than terminationGracePeriodSeconds (30): Kubernetes would kill the operator before it released the Lease.",
    },
    {
      what: "an agent selector that is not a selector",
      values: { agentSelector: "gpu > 2" },
      message: 'agentSelector "gpu > 2" is not a label selector in kubectl syntax',
    },
    {
      what: "port ranges out of range",
      values: { config: { agentPortRanges: "31000-70000" } },
      message:
        'config.agentPortRanges: "31000-70000" is not a port range between 1 and 65535 with begin <= end.',
    },
    {
      what: "port ranges that are not ranges",
      values: { config: { agentPortRanges: "all" } },
      message: 'config.agentPortRanges "all" is not a list of port ranges such as "31000-32000"',
    },
    {
      what: "one port for both servers",
      values: { metrics: { port: 5050 } },
      message: "mesosApi.port and metrics.port are both 5050",
    },
    {
      what: "authentication without a Secret",
      values: { mesosApi: { authentication: { enabled: true } } },
      message: "mesosApi.authentication.enabled is true but mesosApi.authentication.secretName is empty",
    },
    {
      what: "an existing ServiceAccount without its name",
      values: { serviceAccount: { create: false } },
      message: "serviceAccount.name is required when serviceAccount.create is false",
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.what}`, () => {
      expect(renderError(c.values)).toContain(c.message);
    });
  }
});

describe("chart: agentSelector check agrees with the operator's selector parser", () => {
  const selectors = [
    "type=kwok",
    "type==kwok,!gpu",
    "zone in (a, b), tier notin (edge)",
    "node-role.kubernetes.io/mesos-agent",
    "example.com/pool != batch",
    "a=",
    "gpu > 2",
    "a b",
    "type=kwok,",
    "Example.com/x=y",
    "zone in ()",
    "=x",
    "key=a b",
  ];
  for (const selector of selectors) {
    it(JSON.stringify(selector), () => {
      let operatorAccepts = true;
      try {
        parseLabelSelector(selector);
      } catch (err) {
        if (!(err instanceof LabelSelectorError)) throw err;
        operatorAccepts = false;
      }
      const r = helm([
        "template",
        release,
        chart,
        "--show-only",
        "templates/deployment.yaml",
        "--set-json",
        `agentSelector=${JSON.stringify(selector)}`,
      ]);
      expect(r.ok, r.stderr).toBe(operatorAccepts);
      // And the configuration parser takes what the chart passes on.
      if (operatorAccepts) {
        expect(() => parseConfig([], { MESOS_OPERATOR_AGENT_SELECTOR: selector })).not.toThrow(ConfigError);
      }
    });
  }
});

describe("chart: generated files are fresh", () => {
  it("files/crds/ holds exactly the CRDs of crds/ (npm run generate)", () => {
    const expected = chartCrdFiles(repoRoot);
    expect(expected.size).toBeGreaterThan(0);
    for (const [path, content] of expected) {
      let committed = "";
      try {
        committed = readFileSync(join(repoRoot, path), "utf8");
      } catch {
        committed = "(missing)";
      }
      expect(committed === content, `${path} is stale: run npm run generate`).toBe(true);
    }
    expect(orphanChartCrdFiles(repoRoot, expected), "CRDs without a source in crds/").toEqual([]);
  });

  it("the README's values table matches values.schema.json and values.yaml (npm run generate)", () => {
    const committed = readFileSync(join(chart, "README.md"), "utf8");
    expect(
      committed === readmeWithValuesTable(repoRoot),
      "charts/mesos-operator/README.md is stale: run npm run generate",
    ).toBe(true);
  });

  it("appVersion is the package version", () => {
    const chartYaml = parse(readFileSync(join(chart, "Chart.yaml"), "utf8")) as { appVersion: string };
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };
    expect(chartYaml.appVersion).toBe(pkg.version);
  });
});
