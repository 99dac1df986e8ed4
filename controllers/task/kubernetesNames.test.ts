import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dnsLabelFor,
  dnsLabelWithHash,
  isDnsLabel,
  isDnsSubdomain,
  isLabelValue,
  isQualifiedName,
  labelValueFor,
} from "./kubernetesNames.ts";

describe("Kubernetes names", () => {
  it.each([
    ["web-0", true],
    ["a", true],
    ["Web", false],
    ["-a", false],
    ["a-", false],
    ["a.b", false],
    ["a".repeat(63), true],
    ["a".repeat(64), false],
  ])("isDnsLabel(%j) = %s", (s, ok) => expect(isDnsLabel(s)).toBe(ok));

  it.each([
    ["a.b-c.d", true],
    ["a..b", false],
    [".a", false],
    ["A.b", false],
  ])("isDnsSubdomain(%j) = %s", (s, ok) => expect(isDnsSubdomain(s)).toBe(ok));

  it.each([
    ["", true],
    ["succeed", true],
    ["1s", true],
    ["a_b.c-d", true],
    ["has space", false],
    ["-x", false],
    ["x".repeat(64), false],
  ])("isLabelValue(%j) = %s", (s, ok) => expect(isLabelValue(s)).toBe(ok));

  it.each([
    ["sim.mesos.operator.dev/outcome", true],
    ["app", true],
    ["team/app", true],
    ["a/b/c", false],
    ["/x", false],
    ["Example.com/x", false],
    ["with space", false],
    [`p/${"n".repeat(64)}`, false],
  ])("isQualifiedName(%j) = %s", (s, ok) => expect(isQualifiedName(s)).toBe(ok));

  it("keeps names that are already valid, hashes the others", () => {
    expect(dnsLabelFor("web-0")).toBe("web-0");
    expect(dnsLabelFor("Web.0")).toMatch(/^web-0-[0-9a-f]{10}$/);
    expect(dnsLabelFor("...")).toMatch(/^[0-9a-f]{10}$/);
    expect(labelValueFor("abc")).toBe("abc");
    expect(labelValueFor("a b")).toMatch(/^a-b-[0-9a-f]{10}$/);
  });

  it("derived names are always valid and differ for different originals", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), (a, b) => {
        const la = dnsLabelFor(a);
        expect(isDnsLabel(la)).toBe(true);
        expect(isLabelValue(labelValueFor(a))).toBe(true);
        expect(isDnsLabel(dnsLabelWithHash(a, b))).toBe(true);
        expect(dnsLabelFor(a)).toBe(la);
        if (a !== b) expect(dnsLabelFor(b)).not.toBe(la);
      }),
    );
  });
});
