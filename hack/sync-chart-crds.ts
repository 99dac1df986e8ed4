// Copies the generated CRDs (crds/*.yaml) into the Helm chart (charts/mesos-operator/files/crds/),
// from where templates/crds.yaml renders them with the chart's labels and resource policy. Helm
// cannot read files outside the chart, hence the copy; `npm run generate` runs this after the CRD
// generator, and a unit test (hack/chart.test.ts) fails when the copies are stale.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { writeGeneratedFiles } from "./generatedFiles.ts";

export const CRD_SOURCE_DIR = "crds";
export const CHART_CRD_DIR = "charts/mesos-operator/files/crds";

const yamlFiles = (dir: string): string[] => {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(".yaml"))
      .sort();
  } catch {
    return [];
  }
};

/** What the chart's CRD directory should hold: path (relative to `root`) → content. */
export function chartCrdFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of yamlFiles(join(root, CRD_SOURCE_DIR))) {
    files.set(`${CHART_CRD_DIR}/${name}`, readFileSync(join(root, CRD_SOURCE_DIR, name), "utf8"));
  }
  return files;
}

/** Files in the chart's CRD directory that no longer have a source (a kind was removed). */
export function orphanChartCrdFiles(root: string, expected: Map<string, string>): string[] {
  return yamlFiles(join(root, CHART_CRD_DIR))
    .map((name) => `${CHART_CRD_DIR}/${name}`)
    .filter((path) => !expected.has(path));
}

function main(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const files = chartCrdFiles(root);
  if (files.size === 0) throw new Error(`no CRDs in ${CRD_SOURCE_DIR}/: run the CRD generator first`);
  writeGeneratedFiles(root, files, orphanChartCrdFiles(root, files));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
