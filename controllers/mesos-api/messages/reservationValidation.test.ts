import { describe, expect, it } from "vitest";
import { reserveError, unreserveError } from "./reservationValidation.ts";
import type { Resource } from "./resource.ts";

const dyn = (role: string, principal?: string, extra: Partial<Resource> = {}): Resource => ({
  name: "cpus",
  type: "SCALAR",
  scalar: { value: 1 },
  reservations: [{ type: "DYNAMIC", role, ...(principal === undefined ? {} : { principal }) }],
  ...extra,
});

describe("RESERVE validation (master/validation.cpp operation::validate)", () => {
  it("accepts dynamically reserved resources in either reservation format", () => {
    expect(reserveError([dyn("role", "P")], { principal: "P" })).toBeUndefined();
    const preRefinement: Resource = {
      name: "mem",
      type: "SCALAR",
      scalar: { value: 512 },
      role: "role",
      reservation: { principal: "P" },
    };
    expect(reserveError([preRefinement], {})).toBeUndefined();
  });

  it("refuses unreserved and statically reserved resources", () => {
    const unreserved: Resource = { name: "cpus", type: "SCALAR", scalar: { value: 1 } };
    expect(reserveError([unreserved], {})).toBe("Resource cpus:1 is not dynamically reserved");
    const staticRole: Resource = { ...unreserved, role: "role" };
    expect(reserveError([staticRole], {})).toMatch(/is not dynamically reserved$/);
    expect(reserveError([], {})).toMatch(/^Invalid resources/);
  });

  it("checks the principal against the authenticated one", () => {
    expect(reserveError([dyn("role")], { principal: "P" })).toBe(
      "A reserve operation was attempted by principal 'P', but there is a reserved resource in the request with no principal set",
    );
    expect(reserveError([dyn("role", "Q")], { principal: "P" })).toBe(
      "A reserve operation was attempted by authenticated principal 'P', which does not match a reserved resource in the request with principal 'Q'",
    );
    // Without authentication any principal (or none) goes.
    expect(reserveError([dyn("role", "Q")], {})).toBeUndefined();
  });

  it("refuses the '*' role and invalid role names", () => {
    expect(reserveError([dyn("*")], {})).toMatch(/^Invalid resources: Invalid reservation: role "\*"/);
    expect(reserveError([dyn("/bad")], {})).toMatch(/^Invalid resources: .*not a valid role name/);
  });

  it("refuses allocated resources from the operator API", () => {
    expect(reserveError([dyn("role", undefined, { allocation_info: { role: "role" } })], {})).toMatch(
      /operator API only allows reservations to be made to unallocated resources/,
    );
  });

  it("for a framework, the reservation role is the offer's allocation role and one of the framework's", () => {
    const fw = { roles: ["role"], allocationRole: "role" };
    expect(reserveError([dyn("role", "P")], { principal: "P", framework: fw })).toBeUndefined();
    expect(reserveError([dyn("other", "P")], { principal: "P", framework: fw })).toBe(
      "A reserve operation was attempted for a resource with role 'other', but the resource was allocated to role 'role'",
    );
    expect(
      reserveError([dyn("x", "P", { allocation_info: { role: "x" } })], { principal: "P", framework: fw }),
    ).toBe(
      "A reserve operation was attempted for a resource allocated to role 'x', but the framework only has roles '{ role }'",
    );
  });
});

describe("UNRESERVE validation", () => {
  it("accepts dynamic reservations only", () => {
    expect(unreserveError([dyn("role", "P")])).toBeUndefined();
    expect(unreserveError([{ name: "cpus", type: "SCALAR", scalar: { value: 1 }, role: "role" }])).toMatch(
      /^Resource cpus\(reservations: \[\(STATIC,role\)\]\):1 is not dynamically reserved$/,
    );
    expect(unreserveError([dyn("role", "P", { disk: { persistence: { id: "v" } } })])).toMatch(
      /persistent volume .* cannot be unreserved directly/,
    );
  });
});
