import { describe, expect, it } from "vitest";
import type { Resource } from "../messages/resource.ts";
import { parseAcls } from "./acls.ts";
import { authorize } from "./localAuthorizer.ts";
import {
  authorizeAcceptReservations,
  reserveRequests,
  unreserveRequests,
} from "./reservationAuthorization.ts";

const cpus = (...reservations: { role: string; principal?: string }[]): Resource =>
  ({
    name: "cpus",
    type: "SCALAR",
    scalar: { value: 1 },
    reservations: reservations.map((r) => ({ type: "DYNAMIC", ...r })),
  }) as Resource;

describe("reserveRequests and unreserveRequests (ActionObject::reserve / unreserve)", () => {
  it("a RESERVE without source asks for each distinct role of the new reservations", () => {
    expect(
      reserveRequests([], [cpus({ role: "a" }), cpus({ role: "a" }), cpus({ role: "a/b" })], "ops"),
    ).toEqual([
      { acl: "reserve_resources", principal: "ops", role: "a" },
      { acl: "reserve_resources", principal: "ops", role: "a/b" },
    ]);
  });

  it("a RESERVE from a source unreserves the layers it drops and reserves the ones it adds", () => {
    const source = [cpus({ role: "a", principal: "p1" }), cpus({ role: "a", principal: "p1" })];
    expect(
      reserveRequests(source.slice(0, 1), [cpus({ role: "a", principal: "p1" }, { role: "a/b" })], "ops"),
    ).toEqual([{ acl: "reserve_resources", principal: "ops", role: "a/b" }]);
    expect(reserveRequests([cpus({ role: "x", principal: "p1" })], [cpus({ role: "y" })], "ops")).toEqual([
      { acl: "unreserve_resources", principal: "ops", reserverPrincipal: "p1" },
      { acl: "reserve_resources", principal: "ops", role: "y" },
    ]);
  });

  it("an UNRESERVE asks per reserver principal, and once for reservations without one", () => {
    expect(
      unreserveRequests(
        [cpus({ role: "a", principal: "p1" }), cpus({ role: "a" }), cpus({ role: "b" })],
        "ops",
      ),
    ).toEqual([
      { acl: "unreserve_resources", principal: "ops", reserverPrincipal: "p1" },
      { acl: "unreserve_resources", principal: "ops", reserverPrincipal: undefined },
    ]);
  });
});

describe("authorizeAcceptReservations", () => {
  const acls = parseAcls(
    JSON.stringify({
      permissive: false,
      reserve_resources: [{ principals: { values: ["fw"] }, roles: { values: ["dev/%"] } }],
      unreserve_resources: [{ principals: { values: ["fw"] }, reserver_principals: { values: ["fw"] } }],
    }),
  );
  const authorizer = { approver: async () => (r: Parameters<typeof authorize>[1]) => authorize(acls, r) };

  it("drops refused RESERVE/UNRESERVE operations, with OPERATION_ERROR for those with an id", async () => {
    const ok = {
      type: "RESERVE" as const,
      reserve: { source: [], resources: [cpus({ role: "dev/x", principal: "fw" })] },
    };
    const refused = {
      type: "RESERVE" as const,
      id: { value: "op-1" },
      reserve: { source: [], resources: [cpus({ role: "prod", principal: "fw" })] },
    };
    const othersUnreserve = {
      type: "UNRESERVE" as const,
      unreserve: { resources: [cpus({ role: "dev/x", principal: "x" })] },
    };
    const launch = { type: "LAUNCH" as const, launch: { task_infos: [] } };
    const { accept, statuses } = await authorizeAcceptReservations(
      authorizer,
      { offer_ids: [], operations: [ok, refused, othersUnreserve, launch], filters: { refuse_seconds: 5 } },
      "fw",
    );
    expect(accept.operations).toEqual([ok, launch]);
    expect(statuses).toEqual([
      {
        operation_id: { value: "op-1" },
        state: "OPERATION_ERROR",
        message:
          'Principal \'fw\' no authorized to perform action RESERVE_RESOURCES on object {"value":"prod"}',
      },
    ]);
  });
});
