// The client hierarchy both sorters share (Mesos sorter/drf/sorter.cpp add/remove): roles form a
// tree by their `/` paths, a parent's allocation includes its descendants', and a role that is
// both a client and a parent (`a` beside `a/b`) is represented by a virtual leaf `a/.`.
import type { ShareContext, Sorter } from "./sorter.ts";

export class SorterNode<T> {
  /** Subtrees with at least one active leaf (the DRF sorter keeps them in sort order). */
  readonly children: SorterNode<T>[] = [];
  /** Subtrees without active leaves, in no particular order. */
  readonly idle: SorterNode<T>[] = [];
  activeLeaves = 0;
  /** Allocated scalars (thousandths by scalar index), including descendants. */
  readonly alloc: number[] = [];
  /** How many times the node was allocated to; breaks ties between equal shares (Mesos). */
  count = 0;
  /** Cached weighted dominant share (DRF). */
  share = 0;

  constructor(
    readonly name: string,
    readonly path: string,
    public parent: SorterNode<T> | null,
    public isLeaf: boolean,
    public payload: T | undefined = undefined,
    public active = false,
  ) {}

  /** The client a leaf stands for (a virtual `.` leaf stands for its parent's path). */
  get clientPath(): string {
    return this.name === "." && this.parent !== null ? this.parent.path : this.path;
  }
}

function removeFrom<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}

export abstract class SorterTree<T> implements Sorter<T> {
  protected readonly root = new SorterNode<T>("", "", null, false);
  private readonly clients = new Map<string, SorterNode<T>>();
  private readonly weights = new Map<string, number>();

  constructor(protected readonly ctx: ShareContext) {}

  /** Place a node that just gained its first active leaf among its parent's active children. */
  protected abstract insertActive(parent: SorterNode<T>, node: SorterNode<T>): void;
  /** A node's allocation changed. */
  protected abstract allocationChanged(node: SorterNode<T>): void;
  /** Weights or the shape of the tree changed. */
  protected abstract structureChanged(): void;
  abstract forEachActive(visit: (payload: T, path: string) => boolean | undefined): void;

  get activeCount(): number {
    return this.root.activeLeaves;
  }

  protected weightOf(node: SorterNode<T>): number {
    return this.weights.get(node.path) ?? 1;
  }

  /** Dominant share of a node: max over fair-shared scalars of allocated / total, divided by the weight. */
  protected computeShare(node: SorterNode<T>): number {
    const totals = this.ctx.totals;
    const excluded = this.ctx.excluded;
    const alloc = node.alloc;
    let share = 0;
    const n = Math.min(totals.length, alloc.length);
    for (let i = 0; i < n; i++) {
      const total = totals[i]!;
      if (total <= 0 || excluded[i] === true) continue;
      const s = alloc[i]! / total;
      if (s > share) share = s;
    }
    return share / this.weightOf(node);
  }

  contains(path: string): boolean {
    return this.clients.has(path);
  }

  isActive(path: string): boolean {
    return this.clients.get(path)?.active === true;
  }

  private client(path: string): SorterNode<T> {
    const node = this.clients.get(path);
    if (node === undefined) throw new Error(`unknown sorter client '${path}'`);
    return node;
  }

  add(path: string, payload: T): void {
    if (this.clients.has(path)) throw new Error(`sorter client '${path}' already exists`);
    const tokens = path === "" ? [""] : path.split("/");
    let current = this.root;
    let t = 0;
    // Walk down existing nodes (mkdir -p), as Mesos's two-phase add.
    for (;;) {
      if (t === tokens.length) {
        // The path names an internal node: the client becomes its virtual `.` leaf.
        const virt = new SorterNode<T>(".", `${current.path}/.`, current, true, payload);
        current.idle.push(virt);
        this.clients.set(path, virt);
        this.structureChanged();
        return;
      }
      if (current.isLeaf) {
        // A leaf gains a child: it turns internal and its client moves to a virtual `.` leaf.
        const virt = new SorterNode<T>(
          ".",
          `${current.path}/.`,
          current,
          true,
          current.payload,
          current.active,
        );
        for (let i = 0; i < current.alloc.length; i++) virt.alloc[i] = current.alloc[i]!;
        virt.count = current.count;
        virt.activeLeaves = current.active ? 1 : 0;
        current.isLeaf = false;
        current.payload = undefined;
        current.active = false;
        (virt.active ? current.children : current.idle).push(virt);
        this.clients.set(virt.clientPath, virt);
        break;
      }
      const next = this.findChild(current, tokens[t]!);
      if (next === undefined) break;
      current = next;
      t++;
    }
    for (; t < tokens.length; t++) {
      const last = t === tokens.length - 1;
      const childPath = current === this.root ? tokens[t]! : `${current.path}/${tokens[t]}`;
      const child = new SorterNode<T>(tokens[t]!, childPath, current, last, last ? payload : undefined);
      current.idle.push(child);
      current = child;
    }
    this.clients.set(path, current);
    this.structureChanged();
  }

  private findChild(node: SorterNode<T>, name: string): SorterNode<T> | undefined {
    for (const c of node.children) if (c.name === name) return c;
    for (const c of node.idle) if (c.name === name) return c;
    return undefined;
  }

  remove(path: string): void {
    const leaf = this.client(path);
    if (leaf.active) this.deactivate(path);
    // Take the leaf's allocation out of its ancestors so their shares stay right.
    for (let p = leaf.parent; p !== null; p = p.parent)
      for (let i = 0; i < leaf.alloc.length; i++) p.alloc[i] = (p.alloc[i] ?? 0) - leaf.alloc[i]!;
    this.clients.delete(path);
    let node: SorterNode<T> = leaf;
    let parent = node.parent;
    while (parent !== null) {
      removeFrom(parent.idle, node);
      if (parent === this.root || parent.children.length + parent.idle.length > 0) break;
      node = parent;
      parent = node.parent;
    }
    // A parent left with only its virtual leaf turns back into a leaf.
    if (parent !== null && parent !== this.root && parent.children.length + parent.idle.length === 1) {
      const only = parent.children[0] ?? parent.idle[0]!;
      if (only.name === ".") {
        parent.isLeaf = true;
        parent.payload = only.payload;
        parent.active = only.active;
        parent.children.length = 0;
        parent.idle.length = 0;
        this.clients.set(parent.path, parent);
      }
    }
    this.structureChanged();
  }

  activate(path: string): void {
    const leaf = this.client(path);
    if (leaf.active) return;
    leaf.active = true;
    this.bumpActive(leaf, 1);
  }

  deactivate(path: string): void {
    const leaf = this.client(path);
    if (!leaf.active) return;
    leaf.active = false;
    this.bumpActive(leaf, -1);
  }

  private bumpActive(leaf: SorterNode<T>, delta: 1 | -1): void {
    for (let node: SorterNode<T> | null = leaf; node !== null; node = node.parent) {
      const before = node.activeLeaves;
      node.activeLeaves += delta;
      const parent = node.parent;
      if (parent === null) continue;
      if (before === 0 && node.activeLeaves > 0) {
        removeFrom(parent.idle, node);
        this.insertActive(parent, node);
      } else if (before > 0 && node.activeLeaves === 0) {
        removeFrom(parent.children, node);
        parent.idle.push(node);
      }
    }
  }

  updateWeight(path: string, weight: number): void {
    if (!(weight > 0)) throw new RangeError(`weight must be positive, got ${weight}`);
    this.weights.set(path, weight);
    this.structureChanged();
  }

  allocated(path: string, quantities: readonly number[], count = true): void {
    this.addAllocation(this.client(path), quantities, 1, count);
  }

  unallocated(path: string, quantities: readonly number[]): void {
    this.addAllocation(this.client(path), quantities, -1, false);
  }

  private addAllocation(leaf: SorterNode<T>, q: readonly number[], sign: 1 | -1, count: boolean): void {
    for (let node: SorterNode<T> | null = leaf; node !== null && node !== this.root; node = node.parent) {
      const alloc = node.alloc;
      for (let i = 0; i < q.length; i++) alloc[i] = (alloc[i] ?? 0) + sign * (q[i] ?? 0);
      if (count) node.count++;
    }
    for (let node: SorterNode<T> | null = leaf; node !== null && node !== this.root; node = node.parent)
      this.allocationChanged(node);
  }

  allocation(path: string): readonly number[] {
    const leaf = this.clients.get(path);
    if (leaf !== undefined) return leaf.alloc;
    const internal = this.findNode(path);
    return internal?.alloc ?? [];
  }

  private findNode(path: string): SorterNode<T> | undefined {
    let node: SorterNode<T> | undefined = this.root;
    for (const token of path.split("/")) {
      node = node === undefined ? undefined : this.findChild(node, token);
    }
    return node;
  }

  share(path: string): number {
    const node = this.clients.get(path) ?? this.findNode(path);
    return node === undefined ? 0 : this.computeShare(node);
  }

  sort(): string[] {
    const out: string[] = [];
    this.forEachActive((_payload, path) => {
      out.push(path);
      return undefined;
    });
    return out;
  }
}
