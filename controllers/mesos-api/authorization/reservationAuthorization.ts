// The reserve_resources and unreserve_resources ACLs (ActionObject::reserve / ::unreserve in
// Mesos's master/authorization.cpp): a RESERVE needs the right to reserve for the role of every
// new reservation, and, when it reshapes `source`, to unreserve the layers it removes; an
// UNRESERVE needs the right to unreserve what each reserver principal reserved. Used for the
// operator's RESERVE_RESOURCES / UNRESERVE_RESOURCES and a scheduler's ACCEPT RESERVE / UNRESERVE.
import type { OfferOperation } from "../messages/offerOperation.ts";
import type { OperationStatus } from "../messages/operationStatus.ts";
import type { ReservationInfo, Resource } from "../messages/resource.ts";
import type { Accept } from "../scheduler/call.ts";
import type { Approver, Authorizer } from "./aclsFile.ts";
import type { AuthorizationRequest } from "./localAuthorizer.ts";

/** A resource's reservation stack, post-refinement or the old single `role` + `reservation`. */
function stack(r: Resource): ReservationInfo[] {
  if (r.reservations !== undefined && r.reservations.length > 0) return r.reservations;
  if (r.role !== undefined && r.role !== "*")
    return [{ ...r.reservation, role: r.role, type: r.reservation === undefined ? "STATIC" : "DYNAMIC" }];
  return [];
}

const unreserveOf = (
  layers: readonly ReservationInfo[],
  principal: string | undefined,
): AuthorizationRequest[] => {
  const requests: AuthorizationRequest[] = [];
  let withoutPrincipal = false;
  for (const layer of layers) {
    if (layer.principal !== undefined)
      requests.push({ acl: "unreserve_resources", principal, reserverPrincipal: layer.principal });
    else withoutPrincipal = true;
  }
  // Reservations made without a principal are one request with object ANY, as in Mesos.
  if (withoutPrincipal)
    requests.push({ acl: "unreserve_resources", principal, reserverPrincipal: undefined });
  return requests;
};

/** The requests of an UNRESERVE of `resources`: the top reservation of each. */
export function unreserveRequests(
  resources: readonly Resource[],
  principal: string | undefined,
): AuthorizationRequest[] {
  return unreserveOf(
    resources.map((r) => stack(r).at(-1) ?? {}),
    principal,
  );
}

/** The requests of a RESERVE of `resources` (from `source`, when given). */
export function reserveRequests(
  source: readonly Resource[],
  resources: readonly Resource[],
  principal: string | undefined,
): AuthorizationRequest[] {
  const reserve = (roles: Iterable<string>): AuthorizationRequest[] =>
    [...new Set(roles)].map((role) => ({ acl: "reserve_resources", principal, role }));
  if (source.length === 0) return reserve(resources.map((r) => stack(r).at(-1)?.role ?? "*"));
  // From `source` to the target: unreserve the layers above the common ancestor, then reserve each
  // layer the target adds.
  const from = stack(source[0] as Resource);
  const to = stack((resources[0] ?? {}) as Resource);
  let common = 0;
  while (common < from.length && common < to.length && from[common]?.role === to[common]?.role) common++;
  return [
    ...unreserveOf(from.slice(common).reverse(), principal),
    ...reserve(to.slice(common).map((l) => l.role ?? "*")),
  ];
}

/** The reservation requests of one ACCEPT operation (none for other operations). */
function operationRequests(op: OfferOperation, principal: string | undefined): AuthorizationRequest[] {
  if (op.type === "RESERVE" && op.reserve !== undefined)
    return reserveRequests(op.reserve.source, op.reserve.resources, principal);
  if (op.type === "UNRESERVE" && op.unreserve !== undefined)
    return unreserveRequests(op.unreserve.resources, principal);
  return [];
}

/** Mesos's words for a refused operation request (stringify(ActionObject), default branch). */
function refusalText(principal: string | undefined, request: AuthorizationRequest): string {
  const action = request.acl === "reserve_resources" ? "RESERVE_RESOURCES" : "UNRESERVE_RESOURCES";
  const value =
    request.acl === "reserve_resources"
      ? request.role
      : request.acl === "unreserve_resources"
        ? request.reserverPrincipal
        : undefined;
  const on = value === undefined ? "on ANY object" : `on object ${JSON.stringify({ value })}`;
  return `Principal '${principal ?? ""}' no authorized to perform action ${action} ${on}`;
}

/**
 * The ACCEPT without the RESERVE / UNRESERVE operations the ACLs refuse, and the
 * OPERATION_ERROR statuses for those with an id (Master::drop); the rest goes on.
 */
export async function authorizeAcceptReservations(
  authorizer: Authorizer | undefined,
  accept: Accept,
  principal: string | undefined,
): Promise<{ accept: Accept; statuses: OperationStatus[] }> {
  if (
    authorizer === undefined ||
    !accept.operations.some((op) => op.type === "RESERVE" || op.type === "UNRESERVE")
  )
    return { accept, statuses: [] };
  const approve: Approver = await authorizer.approver();
  const statuses: OperationStatus[] = [];
  const operations = accept.operations.filter((op) => {
    const refused = operationRequests(op, principal).find((r) => !approve(r));
    if (refused === undefined) return true;
    if (op.id !== undefined)
      statuses.push({
        operation_id: op.id,
        state: "OPERATION_ERROR",
        message: refusalText(principal, refused),
      });
    return false;
  });
  return { accept: { ...accept, operations }, statuses };
}
