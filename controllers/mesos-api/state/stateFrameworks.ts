// Which Framework objects the master's state views (GET_STATE, GET_FRAMEWORKS, /master/state,
// /master/frameworks) list. A scheduler is answered SUBSCRIBED before its Framework object is
// written (the allocator admits it at once); a Mesos master lists a framework from the moment it
// is subscribed, so a client that asks GET_FRAMEWORKS right after SUBSCRIBED must find itself.
import type { Framework } from "../../api/index.ts";
import { keyOf } from "../../cluster/index.ts";
import { frameworkIdOf } from "../../framework/frameworkPhase.ts";

/**
 * The written Frameworks (the cache), then the admitted ones the cache does not show yet — by
 * object key and by FrameworkID, so an object that arrived meanwhile is listed once.
 */
export function frameworksInState(
  written: readonly Framework[],
  admitted: readonly Framework[],
): Framework[] {
  const keys = new Set(written.map((f) => keyOf(f) ?? ""));
  const ids = new Set(written.map(frameworkIdOf));
  return [...written, ...admitted.filter((f) => !keys.has(keyOf(f) ?? "") && !ids.has(frameworkIdOf(f)))];
}
