// Weighted DRF sorter (src/master/allocator/mesos/sorter/drf): clients in ascending dominant share
// (share of the cluster's scalar totals, divided by the weight), ties broken by fewer allocations
// so far and then by path. Hierarchical: siblings are compared at each level, a parent's share
// counting its whole subtree.
//
// Speed: children stay sorted between allocations. An allocation moves one node per level to its
// new place (O(siblings) memmove, no full sort), as Mesos 1.7.1 does; a full re-sort happens only
// when totals or weights change.
import { type SorterNode, SorterTree } from "./sorterTree.ts";

function before<T>(a: SorterNode<T>, b: SorterNode<T>): boolean {
  if (a.share !== b.share) return a.share < b.share;
  if (a.count !== b.count) return a.count < b.count;
  return a.path < b.path;
}

export class DrfSorter<T> extends SorterTree<T> {
  private dirty = true;
  private seenVersion = -1;

  private isStale(): boolean {
    return this.dirty || this.seenVersion !== this.ctx.version;
  }

  protected structureChanged(): void {
    this.dirty = true;
  }

  protected insertActive(parent: SorterNode<T>, node: SorterNode<T>): void {
    if (this.isStale()) {
      parent.children.push(node);
      return;
    }
    node.share = this.computeShare(node);
    parent.children.splice(this.insertionIndex(parent.children, node), 0, node);
  }

  private insertionIndex(list: readonly SorterNode<T>[], node: SorterNode<T>): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(list[mid]!, node)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  protected allocationChanged(node: SorterNode<T>): void {
    if (this.isStale() || node.activeLeaves === 0 || node.parent === null) return;
    const siblings = node.parent.children;
    const at = siblings.indexOf(node);
    node.share = this.computeShare(node);
    // Already in place? (common when the order does not change)
    const prev = siblings[at - 1];
    const next = siblings[at + 1];
    if ((prev === undefined || before(prev, node)) && (next === undefined || before(node, next))) return;
    siblings.splice(at, 1);
    siblings.splice(this.insertionIndex(siblings, node), 0, node);
  }

  private resort(node: SorterNode<T>): void {
    const children = node.children;
    for (const c of children) c.share = this.computeShare(c);
    children.sort((a, b) => (before(a, b) ? -1 : 1));
    for (const c of children) if (!c.isLeaf) this.resort(c);
  }

  private ensureSorted(): void {
    if (!this.isStale()) return;
    this.resort(this.root);
    this.dirty = false;
    this.seenVersion = this.ctx.version;
  }

  forEachActive(visit: (payload: T, path: string) => boolean | undefined): void {
    this.ensureSorted();
    this.walk(this.root, visit);
  }

  private walk(node: SorterNode<T>, visit: (payload: T, path: string) => boolean | undefined): boolean {
    const children = node.children;
    for (let i = 0; i < children.length; i++) {
      const c = children[i]!;
      if (c.isLeaf) {
        if (visit(c.payload as T, c.clientPath) === true) return true;
      } else if (this.walk(c, visit)) return true;
    }
    return false;
  }
}
