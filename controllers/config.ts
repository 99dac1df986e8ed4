// The operator's configuration: command-line flags (commander) over environment variables
// (MESOS_OPERATOR_*) over defaults, validated with zod. A bad value stops start-up with a message
// naming the flag or variable, the value and what is wrong with it.
//
// Every option is one entry of `configSchema`, whose fields carry descriptions; flag and variable
// names are derived from the field name (leaseDurationSeconds → --lease-duration-seconds,
// MESOS_OPERATOR_LEASE_DURATION_SECONDS), and `configReference()` lists them for docs and --help.
import { hostname } from "node:os";
import { Command, CommanderError, Option } from "commander";
import { z } from "zod";
import type { LabelSelector } from "./allocator/agentSelector.ts";
import { parseQuantityAlternatives } from "./allocator/quantities.ts";
import type { Range } from "./allocator/resources.ts";
import { LabelSelectorError, parseLabelSelector } from "./cluster/labelSelector.ts";
import { LOG_LEVELS } from "./logging.ts";

// ---------------------------------------------------------------------------------------------
// Value parsers: every input is a string (a flag or a variable), or absent (→ default).

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { error: "must be a whole number" })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` }),
    );

const seconds = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, { error: "must be a number of seconds, e.g. 2 or 0.5" })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` }),
    );

const port = () => wholeNumber(1, 65_535);

const bool = () => z.stringbool({ error: "must be true or false" });

const dnsLabel = () =>
  z
    .string()
    .trim()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
      error: "must be a DNS label (lowercase letters, digits, '-')",
    })
    .max(63, { error: "must be at most 63 characters" });

const dnsSubdomain = () =>
  z
    .string()
    .trim()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
      error: "must be a DNS subdomain (lowercase letters, digits, '-', '.')",
    })
    .max(253, { error: "must be at most 253 characters" });

/** A label selector in kubectl's text form, kept as text and parsed. */
const labelSelector = () =>
  z.string().transform((text, ctx): { text: string; selector: LabelSelector | undefined } => {
    try {
      return { text: text.trim(), selector: parseLabelSelector(text) };
    } catch (err) {
      ctx.addIssue({
        code: "custom",
        message: err instanceof LabelSelectorError ? err.message : String(err),
      });
      return z.NEVER;
    }
  });

/** `cpus:0.01|mem:32`: alternatives of resource quantities, kept as text (the allocator parses it). */
const quantityAlternatives = () =>
  z
    .string()
    .trim()
    .superRefine((text, ctx) => {
      try {
        if (parseQuantityAlternatives(text).length === 0) throw new Error("no quantities");
      } catch (err) {
        ctx.addIssue({
          code: "custom",
          message: `"${text}" is not resource quantities such as cpus:0.01|mem:32 (${err instanceof Error ? err.message : String(err)})`,
        });
      }
    });

/** `31000-32000` or `31000-32000,40000-40100`: sorted, non-overlapping port ranges. */
const portRanges = () =>
  z.string().transform((text, ctx): Range[] => {
    const ranges: Range[] = [];
    for (const part of text.split(",").map((p) => p.trim())) {
      const m = /^(\d+)\s*-\s*(\d+)$/.exec(part) ?? /^(\d+)$/.exec(part);
      const begin = m ? Number(m[1]) : Number.NaN;
      const end = m ? Number(m[2] ?? m[1]) : Number.NaN;
      if (!m || begin < 1 || end > 65_535 || begin > end) {
        ctx.addIssue({
          code: "custom",
          message: `"${part}" is not a port range like 31000-32000 (1-65535, begin ≤ end)`,
        });
        return z.NEVER;
      }
      ranges.push({ begin, end });
    }
    ranges.sort((a, b) => a.begin - b.begin);
    for (let i = 1; i < ranges.length; i++) {
      if (ranges[i]!.begin <= ranges[i - 1]!.end) {
        ctx.addIssue({ code: "custom", message: "port ranges overlap" });
        return z.NEVER;
      }
    }
    return ranges;
  });

/** `alice=team-a,bob=team-b`: keys (principals or roles) to namespaces, kept in order. */
const namespaceMap = () =>
  z.string().transform((text, ctx): Map<string, string> => {
    const map = new Map<string, string>();
    for (const part of text.split(",").map((p) => p.trim())) {
      if (part === "") continue;
      const eq = part.lastIndexOf("=");
      const key = eq < 0 ? "" : part.slice(0, eq).trim();
      const namespace = eq < 0 ? "" : part.slice(eq + 1).trim();
      if (key === "" || !dnsLabel().safeParse(namespace).success) {
        ctx.addIssue({
          code: "custom",
          message: `"${part}" is not key=namespace (a principal or role, '=', a namespace name)`,
        });
        return z.NEVER;
      }
      if (map.has(key)) {
        ctx.addIssue({ code: "custom", message: `"${key}" is mapped twice` });
        return z.NEVER;
      }
      map.set(key, namespace);
    }
    return map;
  });

const defaultIdentity = () => `${hostname()}-${process.pid}`;

// ---------------------------------------------------------------------------------------------

/** Every option, its parser, default and description. Field names give flag and variable names. */
export const configSchema = z
  .object({
    kubeconfig: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Path to a kubeconfig file. Unset: the standard lookup ($KUBECONFIG, ~/.kube/config), then the in-cluster service account.",
      ),
    leaderElection: bool()
      .default(true)
      .describe(
        "Elect a leader among replicas through a Lease; only the leader runs controllers. Turn off only with one replica.",
      ),
    leaseNamespace: dnsLabel()
      .default("default")
      .describe("Namespace of the leader-election Lease (usually the operator's own)."),
    leaseName: dnsSubdomain().default("mesos-operator-leader").describe("Name of the leader-election Lease."),
    leaseDurationSeconds: wholeNumber(1, 3600)
      .default(15)
      .describe("How long a standby waits after the last renewal before taking the lease over."),
    leaseRenewDeadlineSeconds: seconds(0.1, 3600)
      .default(10)
      .describe(
        "The leader stops leading when it could not renew the lease for this long. Less than the lease duration.",
      ),
    leaseRetryPeriodSeconds: seconds(0.05, 600)
      .default(2)
      .describe("How often the leader renews and standbys try to acquire. Less than the renew deadline."),
    identity: z
      .string()
      .trim()
      .min(1)
      .max(128)
      .default(defaultIdentity)
      .describe(
        "This replica's name in the Lease and in Events; in a pod, set it to the pod name (downward API).",
      ),
    metricsPort: wholeNumber(0, 65_535)
      .default(8080)
      .describe("Port of /metrics, /healthz and /readyz (0 picks a free port, for tests)."),
    mesosApiPort: port().default(5050).describe("Port of the Mesos HTTP API (the Mesos master's port)."),
    logLevel: z
      .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` })
      .default("info")
      .describe(`Least severe log level written: ${LOG_LEVELS.join(", ")}.`),
    agentSelector: labelSelector()
      .default(() => ({ text: "", selector: undefined }))
      .describe(
        "Label selector of the nodes that are Mesos agents, e.g. 'type=kwok,!gpu'. Empty: every node.",
      ),
    agentPortRanges: portRanges()
      .default(() => [{ begin: 31000, end: 32000 }])
      .describe("Host ports offered on every agent as the `ports` resource (as a Mesos agent's default)."),
    allocationIntervalMs: wholeNumber(10, 3_600_000)
      .default(1000)
      .describe("Milliseconds between allocation runs (Mesos --allocation_interval)."),
    offerTimeoutSeconds: wholeNumber(1, 31_536_000)
      .optional()
      .describe(
        "Rescind offers not used, and inverse offers not answered, within this many seconds (Mesos --offer_timeout). Unset: they do not expire.",
      ),
    defaultRefuseSeconds: seconds(0, 31_536_000)
      .default(5)
      .describe("Filter duration of a decline without refuse_seconds (Mesos default 5)."),
    minAllocatableResources: quantityAlternatives()
      .default("cpus:0.01|mem:32")
      .describe(
        "An agent's unused resources are offered only when they hold at least one of these '|'-separated quantity sets (Mesos --min_allocatable_resources).",
      ),
    reconcileWorkers: wholeNumber(1, 256).default(4).describe("Keys each controller reconciles at once."),
    informerRelistSeconds: wholeNumber(0, 86_400)
      .default(600)
      .describe("Full relist of every cache this often, to catch anything a watch missed (0 = never)."),
    informerResyncSeconds: wholeNumber(0, 86_400)
      .default(0)
      .describe("Re-deliver every cached object to the controllers this often (0 = never)."),
    watchStallSeconds: wholeNumber(10, 3600)
      .default(180)
      .describe("Reopen a watch that delivered nothing, not even a bookmark, for this long."),
    maxCompletedFrameworks: wholeNumber(0, 1_000_000)
      .default(50)
      .describe(
        "Completed frameworks the Mesos API reports in /master/state and GET_STATE, most recent first kept (Mesos --max_completed_frameworks).",
      ),
    maxOffersPerEvent: wholeNumber(0, 1_000_000)
      .default(100)
      .describe(
        "Offers in one OFFERS event of the Mesos scheduler API; a larger allocation follows in further events, one per turn of the event loop, so encoding it never holds up other frameworks' calls (0: all in one event, as a Mesos master).",
      ),
    authenticateHttpFrameworks: bool()
      .default(false)
      .describe(
        "Require HTTP Basic credentials on the scheduler API (Mesos --authenticate_http_frameworks); needs credentialsFile.",
      ),
    authenticateHttpOperators: bool()
      .default(false)
      .describe(
        "Require HTTP Basic credentials on the operator API and the /master endpoints (Mesos --authenticate_http_readwrite/readonly); needs credentialsFile.",
      ),
    credentialsFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Path of a credentials file in Mesos\'s format ({"credentials": [{"principal", "secret"}]} or \'principal secret\' lines); re-read when it changes.',
      ),
    aclsFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Path of an ACLs file in Mesos's --acls JSON format (register_frameworks, teardown_frameworks, update_weights, ...); re-read when it changes. Unset: no authorization, as Mesos without --acls.",
      ),
    frameworkNamespaceFrom: z
      .enum(["fixed", "principal", "role"], { error: "must be one of fixed, principal, role" })
      .default("fixed")
      .describe(
        "How the namespace of a Mesos-API framework's Framework, Task and Offer objects is chosen: fixed (frameworkNamespace), or by principal or role through frameworkNamespaces.",
      ),
    frameworkNamespace: dnsLabel()
      .optional()
      .describe(
        "Namespace of Mesos-API frameworks with fixed mapping, and of those frameworkNamespaces does not map. Unset: the lease namespace.",
      ),
    frameworkNamespaces: namespaceMap()
      .default(() => new Map())
      .describe(
        "With frameworkNamespaceFrom principal or role: 'key=namespace,...' mapping principals (or roles; a role also matches its sub-roles) to namespaces.",
      ),
    shutdownTimeoutSeconds: wholeNumber(1, 3600)
      .default(25)
      .describe("On SIGTERM/SIGINT, how long controllers may take to finish before the process exits."),
  })
  .superRefine((c, ctx) => {
    if (c.leaseRenewDeadlineSeconds >= c.leaseDurationSeconds) {
      ctx.addIssue({
        code: "custom",
        path: ["leaseRenewDeadlineSeconds"],
        message: `must be less than the lease duration (${c.leaseDurationSeconds} s)`,
      });
    }
    if (c.leaseRetryPeriodSeconds >= c.leaseRenewDeadlineSeconds) {
      ctx.addIssue({
        code: "custom",
        path: ["leaseRetryPeriodSeconds"],
        message: `must be less than the renew deadline (${c.leaseRenewDeadlineSeconds} s)`,
      });
    }
    if ((c.authenticateHttpFrameworks || c.authenticateHttpOperators) && c.credentialsFile === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["credentialsFile"],
        message: "is required when HTTP authentication is on",
      });
    }
    if (c.frameworkNamespaceFrom !== "fixed" && c.frameworkNamespaces.size === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["frameworkNamespaces"],
        message: `is required when frameworkNamespaceFrom is ${c.frameworkNamespaceFrom}`,
      });
    }
    if (c.metricsPort !== 0 && c.metricsPort === c.mesosApiPort) {
      ctx.addIssue({
        code: "custom",
        path: ["mesosApiPort"],
        message: `must differ from the metrics port (${c.metricsPort})`,
      });
    }
  });

export type Config = z.output<typeof configSchema>;
export type ConfigKey = keyof Config;

const KEYS = Object.keys(configSchema.shape) as ConfigKey[];
const BOOLEAN_KEYS = new Set<ConfigKey>(["leaderElection"]);

export const ENV_PREFIX = "MESOS_OPERATOR_";

/**
 * The pod this replica runs in, from the downward API's usual variables (the chart sets them).
 * Outside a pod both are absent. With them, the leader labels its own pod.
 */
const PodEnvSchema = z.object({
  POD_NAME: z.string().trim().min(1).max(253).optional(),
  POD_NAMESPACE: dnsLabel().optional(),
});
/** MESOS_OPERATOR_* variables of the development tooling, not of the operator. */
const TOOLING_ENV = new Set([
  "MESOS_OPERATOR_CACHE",
  "MESOS_OPERATOR_CLUSTER_DIR",
  "MESOS_OPERATOR_CLUSTER_NAME",
]);

export const flagName = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
export const envName = (key: string): string =>
  ENV_PREFIX + key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

/** One row per option, for docs and --help. */
export function configReference(): {
  key: ConfigKey;
  flag: string;
  env: string;
  description: string;
  default: string;
}[] {
  const empty = configSchema.safeParse({});
  const defaults: Partial<Record<ConfigKey, unknown>> = empty.success ? empty.data : {};
  return KEYS.map((key) => ({
    key,
    flag: flagName(key),
    env: envName(key),
    description: configSchema.shape[key].description ?? "",
    default: key === "identity" ? "<hostname>-<pid>" : showDefault(defaults[key]),
  }));
}

function showDefault(v: unknown): string {
  if (v === undefined) return "(unset)";
  if (Array.isArray(v)) return v.map((r: Range) => `${r.begin}-${r.end}`).join(",");
  if (typeof v === "object" && v !== null && "text" in v) return String(v.text) || "(all)";
  if (v instanceof Map) return v.size === 0 ? "(none)" : [...v].map(([k, n]) => `${k}=${n}`).join(",");
  return String(v);
}

/** The configuration is invalid: `problems` says what, one line each. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  }
}

/** --help was asked for: the text was written; exit with `exitCode`. */
export class ConfigExit extends Error {
  override readonly name = "ConfigExit";
  constructor(readonly exitCode: number) {
    super("exit requested");
  }
}

export interface ParsedConfig {
  config: Config;
  /** This replica's pod (POD_NAME and POD_NAMESPACE both set), else undefined. */
  pod: { name: string; namespace: string } | undefined;
  /** Not fatal, but worth a log line (e.g. an unknown MESOS_OPERATOR_* variable: a typo?). */
  warnings: string[];
}

export interface ConfigOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

function command(out: ConfigOutput): Command {
  const program = new Command("mesos-operator")
    .description("Apache Mesos semantics on Kubernetes: the operator process.")
    .exitOverride()
    .configureOutput({ writeOut: out.writeOut, writeErr: out.writeErr })
    .allowExcessArguments(false);
  for (const row of configReference()) {
    const help = `${row.description} (default: ${row.default}; env: ${row.env})`;
    if (BOOLEAN_KEYS.has(row.key)) {
      program.addOption(new Option(row.flag, help));
      program.addOption(new Option(`--no-${row.flag.slice(2)}`, `Turn off ${row.flag}.`));
    } else {
      program.addOption(new Option(`${row.flag} <value>`, help));
    }
  }
  return program;
}

/**
 * Parses flags (without the node and script arguments) and the environment.
 * Throws ConfigError on invalid input, ConfigExit after --help.
 */
export function parseConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  out: ConfigOutput = { writeOut: (t) => process.stdout.write(t), writeErr: () => undefined },
): ParsedConfig {
  const program = command(out);
  try {
    program.parse([...argv], { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) throw new ConfigExit(0);
      throw new ConfigError([err.message.replace(/^error: /, "")]);
    }
    throw err;
  }
  const flags: Record<string, unknown> = program.opts();
  const raw: Partial<Record<ConfigKey, string>> = {};
  const origin: Partial<Record<ConfigKey, string>> = {};
  for (const key of KEYS) {
    const flagValue = flags[key];
    const envValue = env[envName(key)];
    if (flagValue !== undefined && program.getOptionValueSource(key) === "cli") {
      raw[key] = String(flagValue);
      origin[key] = BOOLEAN_KEYS.has(key)
        ? flagValue
          ? flagName(key)
          : `--no-${flagName(key).slice(2)}`
        : `${flagName(key)}=${flagValue}`;
    } else if (envValue !== undefined && envValue !== "") {
      raw[key] = envValue;
      origin[key] = `${envName(key)}=${envValue}`;
    }
  }
  const result = configSchema.safeParse(raw);
  const podEnv = PodEnvSchema.safeParse({
    POD_NAME: env.POD_NAME || undefined,
    POD_NAMESPACE: env.POD_NAMESPACE || undefined,
  });
  const podProblems = podEnv.success
    ? []
    : podEnv.error.issues.map((i) => {
        const name = String(i.path[0]);
        return `${name}=${env[name]}: ${i.message}`;
      });
  if (!result.success || podProblems.length > 0) {
    throw new ConfigError([
      ...podProblems,
      ...(result.success ? [] : result.error.issues).map((issue) => {
        const key = issue.path[0] as ConfigKey | undefined;
        if (!key) return issue.message;
        const where = origin[key] ?? `${flagName(key)} (default)`;
        return `${where}: ${issue.message} (flag ${flagName(key)}, env ${envName(key)})`;
      }),
    ]);
  }
  const known = new Set(KEYS.map(envName));
  const warnings = Object.keys(env)
    .filter((k) => k.startsWith(ENV_PREFIX) && !known.has(k) && !TOOLING_ENV.has(k))
    .map((k) => `unknown environment variable ${k} (ignored); known: ${[...known].join(", ")}`);
  const { POD_NAME: name, POD_NAMESPACE: namespace } = podEnv.data ?? {};
  return { config: result.data, pod: name && namespace ? { name, namespace } : undefined, warnings };
}
