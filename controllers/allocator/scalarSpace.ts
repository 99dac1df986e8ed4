// Scalar resource names as dense indexes, and the cluster's scalar totals that DRF shares divide
// by. Numeric vectors keep share arithmetic free of string lookups in the allocation loop.
import type { Resources } from "./resources.ts";
import type { ShareContext } from "./sorter.ts";

export class ScalarSpace implements ShareContext {
  readonly totals: number[] = [];
  readonly excluded: boolean[] = [];
  version = 0;
  private readonly index = new Map<string, number>();
  readonly names: string[] = [];

  constructor(private readonly excludedNames: ReadonlySet<string> = new Set()) {}

  indexOf(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.index.set(name, i);
      this.names.push(name);
      this.totals.push(0);
      this.excluded.push(this.excludedNames.has(name));
    }
    return i;
  }

  /** Scalar amounts of `resources` (thousandths) by index. */
  vectorOf(resources: Resources): number[] {
    const v: number[] = [];
    for (const e of resources.entries) {
      if (e.type !== "SCALAR") continue;
      const i = this.indexOf(e.name);
      while (v.length <= i) v.push(0);
      v[i]! += e.amount;
    }
    return v;
  }

  /** Add (sign 1) or remove (sign -1) an agent's total from the cluster totals. */
  addTotal(resources: Resources, sign: 1 | -1): void {
    let changed = false;
    for (const e of resources.entries) {
      if (e.type !== "SCALAR") continue;
      const i = this.indexOf(e.name);
      this.totals[i]! += sign * e.amount;
      changed = true;
    }
    if (changed) this.version++;
  }
}
