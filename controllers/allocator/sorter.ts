// The interface of a client sorter (src/master/allocator/mesos/sorter/sorter.hpp). The allocator
// keeps one for roles and one per role for its frameworks; the DRF sorter is the default and the
// random sorter the alternative Mesos offers (--role_sorter / --framework_sorter).

/**
 * Cluster totals shared by every sorter: scalar amounts (thousandths) by scalar index. `version`
 * changes whenever totals change, which invalidates every cached share.
 */
export interface ShareContext {
  readonly totals: readonly number[];
  /** Scalar indexes left out of fair sharing (--fair_sharing_excluded_resource_names). */
  readonly excluded: readonly boolean[];
  readonly version: number;
}

export interface Sorter<T> {
  /** Add a client (inactive until `activate`); `a/b` creates the hierarchy as needed. */
  add(path: string, payload: T): void;
  remove(path: string): void;
  activate(path: string): void;
  deactivate(path: string): void;
  contains(path: string): boolean;
  isActive(path: string): boolean;
  readonly activeCount: number;
  /** Weight of a node by path (roles); clients default to 1. */
  updateWeight(path: string, weight: number): void;
  /**
   * Add scalar quantities (thousandths by scalar index) to a client and its ancestors. `count`
   * (default true) bumps the allocation count used to break ties; an offer turning into a task
   * does not count again.
   */
  allocated(path: string, quantities: readonly number[], count?: boolean): void;
  unallocated(path: string, quantities: readonly number[]): void;
  /** Scalar quantities allocated to a client or internal node (its subtree). */
  allocation(path: string): readonly number[];
  /** Dominant share of a client or node, divided by its weight. */
  share(path: string): number;
  /**
   * Visit active clients in sort order until `visit` returns true. The sorter must not be changed
   * during the walk; the allocator applies allocations after each agent, as Mesos sorts per agent.
   */
  forEachActive(visit: (payload: T, path: string) => boolean | undefined): void;
  /** Active client paths in sort order (one walk). */
  sort(): string[];
}
