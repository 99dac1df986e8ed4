// Acting as a ServiceAccount from outside the cluster: a token from the TokenRequest API (the
// same kind of token the kubelet mounts into the operator's pod), a kubeconfig that uses it, and
// access reviews asked as that identity. The chart e2e test checks the chart's RBAC with these;
// running the operator process as the chart's ServiceAccount reuses the kubeconfig.
//
// Also here: `operatorPermissions`, the list of what the operator process does against the API
// server, which the chart's RBAC must grant exactly (hack/chart.test.ts compares it with the
// rendered ClusterRole and Role; test/e2e/helmChart.test.ts asks the API server).
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as k8s from "@kubernetes/client-node";
import { stringify } from "yaml";

export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

/** A token for the ServiceAccount from the TokenRequest API, valid for `expirationSeconds`. */
export async function requestServiceAccountToken(
  admin: k8s.KubeConfig,
  sa: ServiceAccountRef,
  expirationSeconds = 3600,
): Promise<string> {
  const core = admin.makeApiClient(k8s.CoreV1Api);
  const answer = await core.createNamespacedServiceAccountToken({
    name: sa.name,
    namespace: sa.namespace,
    body: { spec: { audiences: [], expirationSeconds } },
  });
  const token = answer.status?.token;
  if (!token) throw new Error(`TokenRequest for ${sa.namespace}/${sa.name} returned no token`);
  return token;
}

export interface ServiceAccountKubeconfig {
  /** Path of the kubeconfig file (mode 0600, in a fresh temporary directory). */
  path: string;
  /** The same configuration, loaded. */
  kc: k8s.KubeConfig;
}

/**
 * Writes a kubeconfig that reaches the same API server as `admin` (same server URL and CA) but
 * authenticates only with the ServiceAccount's token, with the ServiceAccount's namespace as the
 * default namespace.
 */
export async function serviceAccountKubeconfig(
  admin: k8s.KubeConfig,
  sa: ServiceAccountRef,
  expirationSeconds = 3600,
): Promise<ServiceAccountKubeconfig> {
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error("the admin kubeconfig has no current cluster");
  const token = await requestServiceAccountToken(admin, sa, expirationSeconds);
  const user = `system:serviceaccount:${sa.namespace}:${sa.name}`;
  const clusterEntry: Record<string, string | boolean> = { server: cluster.server };
  if (cluster.caData) clusterEntry["certificate-authority-data"] = cluster.caData;
  else if (cluster.caFile) clusterEntry["certificate-authority"] = cluster.caFile;
  if (cluster.skipTLSVerify) clusterEntry["insecure-skip-tls-verify"] = true;
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: cluster.name, cluster: clusterEntry }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: user, context: { cluster: cluster.name, user, namespace: sa.namespace } }],
    "current-context": user,
  };
  const path = join(mkdtempSync(join(tmpdir(), "mesos-operator-sa-")), "kubeconfig");
  writeFileSync(path, stringify(config), { mode: 0o600 });
  chmodSync(path, 0o600);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(path);
  return { path, kc };
}

/** One request the operator makes: verb on group/resource[/subresource], where, which name. */
export interface Permission {
  verb: string;
  /** API group; "" is the core group. */
  group: string;
  resource: string;
  subresource?: string;
  /** Cluster-wide (every namespace, or a cluster-scoped resource) or the release namespace only. */
  scope: "cluster" | "releaseNamespace";
  /** Limited to this object name. */
  name?: string;
}

const each = (verbs: string[], p: Omit<Permission, "verb">): Permission[] =>
  verbs.map((verb) => ({ verb, ...p }));

/**
 * Everything the operator process does against the API server (see the rules and their reasons in
 * charts/mesos-operator/templates/rbac.yaml). `leaseName` is the Lease of its leader election.
 */
export function operatorPermissions(leaseName: string): Permission[] {
  const cluster = "cluster" as const;
  const mesos = "mesos.operator.dev";
  return [
    ...each(["get", "list", "watch", "patch"], { group: "", resource: "nodes", scope: cluster }),
    ...each(["get", "list", "watch", "create", "delete"], { group: "", resource: "pods", scope: cluster }),
    ...each(["create"], { group: "", resource: "pods", subresource: "binding", scope: cluster }),
    ...each(["create", "patch"], { group: "events.k8s.io", resource: "events", scope: cluster }),
    ...each(["get", "list", "watch", "create", "patch", "delete"], {
      group: mesos,
      resource: "frameworks",
      scope: cluster,
    }),
    ...each(["get", "list", "watch", "create", "patch", "delete"], {
      group: mesos,
      resource: "offers",
      scope: cluster,
    }),
    ...each(["get", "list", "watch", "create", "patch"], { group: mesos, resource: "tasks", scope: cluster }),
    ...each(["get", "list", "watch", "create", "patch"], { group: mesos, resource: "roles", scope: cluster }),
    ...["frameworks", "offers", "tasks", "roles"].flatMap((resource) =>
      each(["patch"], { group: mesos, resource, subresource: "status", scope: cluster }),
    ),
    ...["frameworks", "tasks"].flatMap((resource) =>
      each(["update"], { group: mesos, resource, subresource: "finalizers", scope: cluster }),
    ),
    ...each(["create"], { group: "coordination.k8s.io", resource: "leases", scope: "releaseNamespace" }),
    ...each(["get", "update"], {
      group: "coordination.k8s.io",
      resource: "leases",
      scope: "releaseNamespace",
      name: leaseName,
    }),
    ...each(["patch"], { group: "", resource: "pods", scope: "releaseNamespace" }),
    ...each(["create"], { group: "", resource: "configmaps", scope: "releaseNamespace" }),
    ...each(["get", "update"], {
      group: "",
      resource: "configmaps",
      scope: "releaseNamespace",
      name: `${leaseName}-maintenance`,
    }),
  ];
}

/**
 * Requests the operator never makes; the chart's ServiceAccount must be refused each of them.
 * `otherNamespace` is any namespace but the release namespace.
 */
export function deniedPermissions(otherNamespace: string): { permission: Permission; namespace?: string }[] {
  const cluster = "cluster" as const;
  const release = "releaseNamespace" as const;
  return [
    { permission: { verb: "delete", group: "", resource: "nodes", scope: cluster } },
    { permission: { verb: "list", group: "", resource: "secrets", scope: cluster } },
    { permission: { verb: "get", group: "", resource: "secrets", scope: release } },
    { permission: { verb: "patch", group: "", resource: "pods", scope: cluster }, namespace: otherNamespace },
    { permission: { verb: "update", group: "", resource: "pods", subresource: "status", scope: cluster } },
    { permission: { verb: "create", group: "", resource: "pods", subresource: "exec", scope: cluster } },
    { permission: { verb: "update", group: "mesos.operator.dev", resource: "tasks", scope: cluster } },
    { permission: { verb: "delete", group: "mesos.operator.dev", resource: "tasks", scope: cluster } },
    { permission: { verb: "delete", group: "mesos.operator.dev", resource: "roles", scope: cluster } },
    {
      permission: {
        verb: "update",
        group: "coordination.k8s.io",
        resource: "leases",
        scope: release,
        name: "other-lease",
      },
    },
    {
      permission: { verb: "create", group: "coordination.k8s.io", resource: "leases", scope: cluster },
      namespace: otherNamespace,
    },
    {
      permission: {
        verb: "create",
        group: "apiextensions.k8s.io",
        resource: "customresourcedefinitions",
        scope: cluster,
      },
    },
    {
      permission: {
        verb: "create",
        group: "rbac.authorization.k8s.io",
        resource: "clusterrolebindings",
        scope: cluster,
      },
    },
    { permission: { verb: "list", group: "", resource: "namespaces", scope: cluster } },
  ];
}

export interface AccessReviewAnswer {
  allowed: boolean;
  /** The authorizer's reason (RBAC names the binding that allowed it), or why it was refused. */
  reason: string;
}

/**
 * Asks the API server, as whoever `kc` authenticates as, whether the request is allowed
 * (SelfSubjectAccessReview; what `kubectl auth can-i` does). `namespace` "" means all namespaces.
 */
export async function canI(
  kc: k8s.KubeConfig,
  p: Permission,
  namespace: string,
): Promise<AccessReviewAnswer> {
  const authz = kc.makeApiClient(k8s.AuthorizationV1Api);
  const review = await authz.createSelfSubjectAccessReview({
    body: {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      spec: {
        resourceAttributes: {
          verb: p.verb,
          group: p.group,
          resource: p.resource,
          ...(p.subresource ? { subresource: p.subresource } : {}),
          ...(p.name ? { name: p.name } : {}),
          namespace,
        },
      },
    },
  });
  return {
    allowed: review.status?.allowed === true && review.status.denied !== true,
    reason: review.status?.reason ?? review.status?.evaluationError ?? "",
  };
}

/** "patch pods/status named x in namespace y": for failure messages. */
export function describePermission(p: Permission, namespace: string): string {
  const resource = p.subresource ? `${p.resource}/${p.subresource}` : p.resource;
  const group = p.group === "" ? "" : `.${p.group}`;
  const name = p.name ? ` named ${p.name}` : "";
  const where = namespace === "" ? "cluster-wide" : `in namespace ${namespace}`;
  return `${p.verb} ${resource}${group}${name} ${where}`;
}
