// GET /master/frameworks[?framework_id=]: registered and completed frameworks in full.
import type { MasterSnapshot } from "../backend.ts";
import type { FrameworkState } from "../messages/framework.ts";
import { legacyFramework, tasksByFramework } from "./legacyFramework.ts";

export function frameworksEndpoint(
  snapshot: MasterSnapshot,
  frameworkId: string | undefined,
): Record<string, unknown> {
  const owned = tasksByFramework(snapshot);
  const wanted = (f: FrameworkState) =>
    frameworkId === undefined || f.framework_info.id?.value === frameworkId;
  const render = (f: FrameworkState) => legacyFramework(f, owned.get(f.framework_info.id?.value ?? ""));
  return {
    frameworks: snapshot.frameworks.filter(wanted).map(render),
    completed_frameworks: snapshot.completedFrameworks.filter(wanted).map(render),
    unregistered_frameworks: [],
  };
}
