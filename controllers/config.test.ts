import { describe, expect, it } from "vitest";
import { ConfigError, ConfigExit, configReference, envName, flagName, parseConfig } from "./config.ts";

const quiet = { writeOut: () => undefined, writeErr: () => undefined };
const parse = (argv: string[], env: Record<string, string> = {}) => parseConfig(argv, env, quiet);

/** The problems of an invalid configuration (fails the test when it is valid). */
function problems(argv: string[], env: Record<string, string> = {}): string[] {
  try {
    parse(argv, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("configuration was accepted");
}

describe("parseConfig", () => {
  it("has the documented defaults", () => {
    const { config, warnings } = parse([]);
    expect(config.kubeconfig).toBeUndefined();
    expect(config.offerTimeoutSeconds).toBeUndefined();
    expect(config).toMatchObject({
      leaderElection: true,
      leaseNamespace: "default",
      leaseName: "mesos-operator-leader",
      leaseDurationSeconds: 15,
      leaseRenewDeadlineSeconds: 10,
      leaseRetryPeriodSeconds: 2,
      metricsPort: 8080,
      mesosApiPort: 5050,
      logLevel: "info",
      agentSelector: { text: "", selector: undefined },
      agentPortRanges: [{ begin: 31000, end: 32000 }],
      allocationIntervalMs: 1000,
      defaultRefuseSeconds: 5,
      minAllocatableResources: "cpus:0.01|mem:32",
    });
    expect(config.identity).toMatch(/^.+-\d+$/);
    expect(warnings).toEqual([]);
  });

  it("reads flags and environment variables, flags first", () => {
    const { config } = parse(
      ["--metrics-port", "9090", "--agent-selector=type=kwok,zone in (a, b),!gpu", "--no-leader-election"],
      {
        MESOS_OPERATOR_METRICS_PORT: "7070",
        MESOS_OPERATOR_MESOS_API_PORT: "5051",
        MESOS_OPERATOR_OFFER_TIMEOUT_SECONDS: "30",
        MESOS_OPERATOR_AGENT_PORT_RANGES: "40000-40100, 31000-32000",
        MESOS_OPERATOR_LEASE_RETRY_PERIOD_SECONDS: "0.5",
        MESOS_OPERATOR_LOG_LEVEL: "debug",
      },
    );
    expect(config.metricsPort).toBe(9090);
    expect(config.mesosApiPort).toBe(5051);
    expect(config.offerTimeoutSeconds).toBe(30);
    expect(config.leaderElection).toBe(false);
    expect(config.leaseRetryPeriodSeconds).toBe(0.5);
    expect(config.logLevel).toBe("debug");
    expect(config.agentPortRanges).toEqual([
      { begin: 31000, end: 32000 },
      { begin: 40000, end: 40100 },
    ]);
    expect(config.agentSelector.text).toBe("type=kwok,zone in (a, b),!gpu");
    expect(config.agentSelector.selector).toEqual({
      matchExpressions: [
        { key: "type", operator: "In", values: ["kwok"] },
        { key: "zone", operator: "In", values: ["a", "b"] },
        { key: "gpu", operator: "DoesNotExist" },
      ],
    });
  });

  it("reads booleans from the environment and lets a flag override them", () => {
    expect(parse([], { MESOS_OPERATOR_LEADER_ELECTION: "false" }).config.leaderElection).toBe(false);
    expect(
      parse(["--leader-election"], { MESOS_OPERATOR_LEADER_ELECTION: "false" }).config.leaderElection,
    ).toBe(true);
    expect(problems([], { MESOS_OPERATOR_LEADER_ELECTION: "maybe" })).toEqual([
      "MESOS_OPERATOR_LEADER_ELECTION=maybe: must be true or false (flag --leader-election, env MESOS_OPERATOR_LEADER_ELECTION)",
    ]);
  });

  it("names the flag or variable, the value and the problem", () => {
    expect(problems(["--metrics-port", "http"])).toEqual([
      "--metrics-port=http: must be a whole number (flag --metrics-port, env MESOS_OPERATOR_METRICS_PORT)",
    ]);
    expect(problems([], { MESOS_OPERATOR_MESOS_API_PORT: "70000" })).toEqual([
      "MESOS_OPERATOR_MESOS_API_PORT=70000: must be at most 65535 (flag --mesos-api-port, env MESOS_OPERATOR_MESOS_API_PORT)",
    ]);
    expect(problems(["--log-level", "loud"])[0]).toContain(
      "--log-level=loud: must be one of fatal, error, warn, info",
    );
    expect(problems(["--lease-namespace", "Kube_System"])[0]).toContain("must be a DNS label");
    expect(problems(["--agent-port-ranges", "32000-31000"])[0]).toContain(
      '"32000-31000" is not a port range',
    );
    expect(problems(["--agent-port-ranges", "31000-32000,31500-33000"])[0]).toContain("port ranges overlap");
    expect(problems(["--agent-selector", "zone in (a,b"])[0]).toContain('unbalanced "("');
    expect(problems(["--agent-selector", "cpu>4"])[0]).toContain("the > and < operators are not supported");
    expect(problems(["--agent-selector", "bad key=x"])[0]).toContain("not a label requirement");
    expect(problems(["--min-allocatable-resources", "cpus=1"])[0]).toContain(
      '"cpus=1" is not resource quantities such as cpus:0.01|mem:32',
    );
    expect(problems(["--min-allocatable-resources", "|"])[0]).toContain("not resource quantities");
    expect(
      parse(["--min-allocatable-resources", "cpus:1;mem:100|disk:100"]).config.minAllocatableResources,
    ).toBe("cpus:1;mem:100|disk:100");
  });

  it("reports every problem at once", () => {
    expect(
      problems(["--metrics-port", "x", "--allocation-interval-ms", "-5"], {
        MESOS_OPERATOR_DEFAULT_REFUSE_SECONDS: "soon",
      }),
    ).toHaveLength(3);
  });

  it("checks the lease timings against each other and the two ports against each other", () => {
    expect(problems(["--lease-duration-seconds", "5"])).toEqual([
      "--lease-renew-deadline-seconds (default): must be less than the lease duration (5 s) (flag --lease-renew-deadline-seconds, env MESOS_OPERATOR_LEASE_RENEW_DEADLINE_SECONDS)",
    ]);
    expect(problems(["--lease-retry-period-seconds", "10"])[0]).toContain(
      "--lease-retry-period-seconds=10: must be less than the renew deadline (10 s)",
    );
    expect(problems(["--mesos-api-port", "8080"])[0]).toContain("must differ from the metrics port (8080)");
    expect(problems(["--authenticate-http-frameworks", "true"])[0]).toContain(
      "is required when HTTP authentication is on",
    );
    expect(
      parse(["--authenticate-http-operators", "true", "--credentials-file", "/c.json"]).config,
    ).toMatchObject({
      authenticateHttpFrameworks: false,
      authenticateHttpOperators: true,
      credentialsFile: "/c.json",
    });
  });

  it("refuses unknown flags and stray arguments, and exits cleanly after --help", () => {
    expect(problems(["--metric-port", "1"])[0]).toContain("unknown option '--metric-port'");
    expect(problems(["extra"])[0]).toContain("too many arguments");
    let help = "";
    expect(() =>
      parseConfig(["--help"], {}, { writeOut: (t) => (help += t), writeErr: () => undefined }),
    ).toThrow(ConfigExit);
    expect(help).toContain("--lease-duration-seconds <value>");
    expect(help).toContain("MESOS_OPERATOR_LEASE_DURATION_SECONDS");
  });

  it("reads the pod's name and namespace from the downward API's variables", () => {
    expect(parse([], { POD_NAME: "op-0", POD_NAMESPACE: "mesos" }).pod).toEqual({
      name: "op-0",
      namespace: "mesos",
    });
    expect(parse([], { POD_NAME: "op-0" }).pod).toBeUndefined();
    expect(problems([], { POD_NAME: "op-0", POD_NAMESPACE: "Mesos" })[0]).toContain(
      "POD_NAMESPACE=Mesos: must be a DNS label",
    );
  });

  it("warns about unknown MESOS_OPERATOR_ variables but not the tooling's", () => {
    const { warnings } = parse([], { MESOS_OPERATOR_METRIC_PORT: "1", MESOS_OPERATOR_CACHE: "/tmp" });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("MESOS_OPERATOR_METRIC_PORT");
  });
});

describe("configReference", () => {
  it("lists every option with flag, variable, description and default", () => {
    const rows = configReference();
    expect(rows.length).toBeGreaterThanOrEqual(20);
    for (const r of rows) {
      expect(r.description.length, r.key).toBeGreaterThan(10);
      expect(r.flag).toBe(flagName(r.key));
      expect(r.env).toBe(envName(r.key));
    }
    expect(rows.find((r) => r.key === "agentPortRanges")?.default).toBe("31000-32000");
    expect(rows.find((r) => r.key === "offerTimeoutSeconds")?.default).toBe("(unset)");
    expect(flagName("leaseDurationSeconds")).toBe("--lease-duration-seconds");
    expect(envName("leaseDurationSeconds")).toBe("MESOS_OPERATOR_LEASE_DURATION_SECONDS");
  });
});
