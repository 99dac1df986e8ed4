import { describe, expect, it } from "vitest";
import { retainedCompletedFrameworks } from "./completedFrameworksRetention.ts";

const fw = (id: string, at?: string) => ({ id, at });
const ids = (items: { id: string }[]) => items.map((i) => i.id);

describe("retainedCompletedFrameworks (--max_completed_frameworks)", () => {
  const completed = [
    fw("c", "2026-01-01T00:00:03Z"),
    fw("a", "2026-01-01T00:00:01Z"),
    fw("untimed"),
    fw("b", "2026-01-01T00:00:02Z"),
  ];

  it("keeps the N most recently completed, oldest first", () => {
    expect(ids(retainedCompletedFrameworks(completed, (f) => f.at, 2))).toEqual(["b", "c"]);
    expect(ids(retainedCompletedFrameworks(completed, (f) => f.at, 10))).toEqual(["untimed", "a", "b", "c"]);
  });

  it("keeps none at 0", () => {
    expect(retainedCompletedFrameworks(completed, (f) => f.at, 0)).toEqual([]);
  });
});
