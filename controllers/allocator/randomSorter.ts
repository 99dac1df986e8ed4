// Weighted random sorter (src/master/allocator/mesos/sorter/random): each walk is a fresh
// weighted shuffle of the active clients, a client's weight being its relative weight in the
// hierarchy (its weight over its active siblings', times its parent's). Mesos offers it against
// DRF starvation of large frameworks.
//
// Speed: with equal weights (every framework sorter) the shuffle is a lazy Fisher–Yates that stops
// as soon as the allocator stops walking, so one agent costs O(clients visited), not O(clients).
import type { Random } from "./random.ts";
import type { ShareContext } from "./sorter.ts";
import { type SorterNode, SorterTree } from "./sorterTree.ts";

export class RandomSorter<T> extends SorterTree<T> {
  private dirty = true;
  private leaves: SorterNode<T>[] = [];
  private relativeWeights: number[] = [];
  private uniform = true;

  constructor(
    ctx: ShareContext,
    private readonly random: Random,
  ) {
    super(ctx);
  }

  protected structureChanged(): void {
    this.dirty = true;
  }

  protected insertActive(parent: SorterNode<T>, node: SorterNode<T>): void {
    parent.children.push(node);
    this.dirty = true;
  }

  protected override allocationChanged(): void {}

  private refresh(): void {
    if (!this.dirty) return;
    this.leaves = [];
    this.relativeWeights = [];
    const walk = (node: SorterNode<T>, parentWeight: number): void => {
      let total = 0;
      for (const c of node.children) total += this.weightOf(c);
      for (const c of node.children) {
        const w = (parentWeight * this.weightOf(c)) / total;
        if (c.isLeaf) {
          this.leaves.push(c);
          this.relativeWeights.push(w);
        } else walk(c, w);
      }
    };
    walk(this.root, 1);
    const first = this.relativeWeights[0];
    this.uniform = this.relativeWeights.every((w) => w === first);
    this.dirty = false;
  }

  forEachActive(visit: (payload: T, path: string) => boolean | undefined): void {
    this.refresh();
    const leaves = this.leaves;
    const n = leaves.length;
    if (this.uniform) {
      for (let i = 0; i < n; i++) {
        const j = i + this.random.int(n - i);
        const pick = leaves[j]!;
        leaves[j] = leaves[i]!;
        leaves[i] = pick;
        if (visit(pick.payload as T, pick.clientPath) === true) return;
      }
      return;
    }
    // Efraimidis–Spirakis keys u^(1/w), largest first: weighted sampling without replacement.
    const keys = this.relativeWeights.map((w) => this.random.next() ** (1 / w));
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[b]! - keys[a]!);
    for (const i of order) {
      const leaf = leaves[i]!;
      if (visit(leaf.payload as T, leaf.clientPath) === true) return;
    }
  }
}
