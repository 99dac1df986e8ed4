// Mesos keeps only the last --max_completed_frameworks completed frameworks (a circular buffer,
// oldest first) in /master/state and GET_STATE. The Framework objects themselves stay until deleted:
// this bounds what the Mesos API reports, not what Kubernetes stores.

/**
 * The `max` most recently completed of `completed`, oldest first. `completedAt` is an RFC 3339
 * time; a missing one sorts as the oldest (it completed before anything recorded a time).
 */
export function retainedCompletedFrameworks<T>(
  completed: readonly T[],
  completedAt: (item: T) => string | undefined,
  max: number,
): T[] {
  if (max <= 0) return [];
  const time = (item: T) => {
    const at = completedAt(item);
    const ms = at === undefined ? Number.NaN : Date.parse(at);
    return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
  };
  const sorted = [...completed].sort((a, b) => time(a) - time(b));
  return sorted.slice(Math.max(0, sorted.length - max));
}
