// docs/operations.md: its generated tables (configuration, metrics) match the code. When one
// fails, run `npm run generate` and commit the document.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configReference } from "../controllers/config.ts";
import { configType, OPERATIONS_DOC, operationsDocWithConfig, repoRoot } from "./config-reference.ts";
import {
  defaultMetricRows,
  operationsDocWithDefaultMetrics,
  operationsDocWithMetrics,
  operatorMetricRows,
} from "./metrics-reference.ts";

const doc = (): string => readFileSync(join(repoRoot(), OPERATIONS_DOC), "utf8");

describe("docs/operations.md is generated from the code (npm run generate)", () => {
  it("the configuration reference matches controllers/config.ts", () => {
    const committed = doc();
    expect(
      operationsDocWithConfig(committed) === committed,
      `${OPERATIONS_DOC} is stale: run npm run generate`,
    ).toBe(true);
  });

  it("every config option has a type, a flag and a variable in the document", () => {
    const committed = doc();
    for (const row of configReference()) {
      expect(configType(row.key)).not.toBe("");
      expect(committed).toContain(`\`${row.flag}\``);
      expect(committed).toContain(`\`${row.env}\``);
    }
  });

  it("the operator metrics table matches the registry of controllers/cluster/metrics.ts", () => {
    const committed = doc();
    expect(
      operationsDocWithMetrics(committed) === committed,
      `${OPERATIONS_DOC} is stale: run npm run generate`,
    ).toBe(true);
    for (const m of operatorMetricRows()) expect(committed).toContain(`| \`${m.name}\` |`);
  });

  it("every default process and Node.js metric registered here is listed", () => {
    const committed = doc();
    for (const m of defaultMetricRows()) expect(committed).toContain(`| \`${m.name}\` |`);
    // The committed table is the Linux one; elsewhere some process metrics do not exist.
    if (process.platform === "linux")
      expect(operationsDocWithDefaultMetrics(committed) === committed).toBe(true);
  });
});
