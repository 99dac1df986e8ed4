// Which Framework objects the master's state views (GET_STATE, GET_FRAMEWORKS, /master/state,
// /master/frameworks) list. A scheduler is answered SUBSCRIBED before its Framework object is
// written (the allocator admits it at once); a Mesos master lists a framework from the moment it
// is subscribed, so a client that asks GET_FRAMEWORKS right after SUBSCRIBED must find itself.
import type { Framework } from "../../api/index.ts";
import { keyOf } from "../../cluster/index.ts";
import { frameworkIdOf } from "../../framework/frameworkPhase.ts";

/**
 * The written Frameworks (the cache), then the admitted ones the cache does not show yet — by
 * object key and by FrameworkID, so an object that arrived meanwhile is listed once — except those
 * torn down meanwhile (`removedIds`: their deletion has not come back through the cache yet).
 */
export function frameworksInState(
  written: readonly Framework[],
  admitted: readonly Framework[],
  removedIds: ReadonlySet<string> = new Set(),
): Framework[] {
  const keys = new Set(written.map((f) => keyOf(f) ?? ""));
  const ids = new Set(written.map(frameworkIdOf));
  const pending = (f: Framework) =>
    !keys.has(keyOf(f) ?? "") && !ids.has(frameworkIdOf(f)) && !removedIds.has(frameworkIdOf(f));
  return [...written, ...admitted.filter(pending)];
}
