// POST /api/v1 (and /master/api/v1): the operator API (semantics.md §3.1–3.2). Shared checks
// first, then parse (400), validate (400), Accept (406, for every call), dispatch.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Authorizer } from "../authorization/aclsFile.ts";
import { allAuthorized, operatorChangeRequests } from "../authorization/callAuthorization.ts";
import { mayViewFlags, visibleSnapshot } from "../authorization/stateView.ts";
import type { CallOutcome, MesosBackend, OperatorChange } from "../backend.ts";
import { type AdmissionContext, admitApiCall } from "../http/apiAdmission.ts";
import type { ApiLogger } from "../http/logger.ts";
import { replyMessage, replyText } from "../http/replies.ts";
import { noteCallType } from "../http/requestMetrics.ts";
import { VERSION_INFO } from "../mesosVersion.ts";
import type { Resource } from "../messages/resource.ts";
import {
  NOT_ACCEPTABLE_MESSAGE,
  negotiateResponse,
  negotiateStream,
  type ResponseEncoding,
} from "../wire/mediaType.ts";
import { describeParseError } from "../wire/parseError.ts";
import { MESOS_MESSAGES, ProtobufEncodeError } from "../wire/protobufCodec.ts";
import {
  type OperatorCall,
  OperatorCallSchema,
  type OperatorCallType,
  REQUIRED_SUB_MESSAGE,
} from "./call.ts";
import type { OperatorStreams } from "./operatorStreams.ts";
import {
  getAgents,
  getExecutors,
  getFrameworks,
  getMaintenanceSchedule,
  getMaintenanceStatus,
  getMaster,
  getQuota,
  getRoles,
  getState,
  getTasks,
  getWeights,
} from "./responses.ts";

export interface OperatorApiOptions {
  admission: AdmissionContext;
  streams: OperatorStreams;
  /** Backend metrics plus the HTTP layer's own. */
  metrics: () => Promise<Record<string, number>>;
  log: ApiLogger;
  /** Checks the ACLs of the calls that change the cluster; undefined: no ACLs, no checks. */
  authorizer?: Authorizer | undefined;
}

/** Calls this master does not implement, and why (docs/mesos-compatibility.md). */
export const NOT_IMPLEMENTED: Partial<Record<OperatorCallType, string>> = {
  GET_LOGGING_LEVEL: "the operator logs through its own logger; there is no Mesos logging level",
  SET_LOGGING_LEVEL: "the operator logs through its own logger; there is no Mesos logging level",
  LIST_FILES: "there are no Mesos sandboxes to browse; use kubectl logs",
  READ_FILE: "there are no Mesos sandboxes to read; use kubectl logs",
  CREATE_VOLUMES: "persistent volumes are not supported",
  DESTROY_VOLUMES: "persistent volumes are not supported",
  GROW_VOLUME: "persistent volumes are not supported",
  SHRINK_VOLUME: "persistent volumes are not supported",
};

type Reply = (status: number, body?: unknown) => void;

export class OperatorApi {
  constructor(private readonly options: OperatorApiOptions) {}

  private get backend(): MesosBackend {
    return this.options.admission.backend;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const admitted = await admitApiCall(req, res, this.options.admission, MESOS_MESSAGES.operatorCall);
    if (admitted === undefined) return;

    const parsed = OperatorCallSchema.safeParse(admitted.json);
    if (!parsed.success) {
      replyText(res, 400, `Failed to convert JSON into Call protobuf: ${describeParseError(parsed.error)}`);
      return;
    }
    const call = parsed.data;
    noteCallType(res, call.type ?? "UNKNOWN");
    const invalid = validateOperatorCall(call);
    if (invalid !== undefined) {
      replyText(res, 400, `Failed to validate master::Call: ${invalid}`);
      return;
    }
    const type = call.type as OperatorCallType;
    const encoding =
      type === "SUBSCRIBE"
        ? negotiateStream(req.headers.accept, headerValue(req.headers["message-accept"]))
        : negotiateResponse(req.headers.accept);
    if (encoding === undefined) {
      replyText(res, 406, NOT_ACCEPTABLE_MESSAGE);
      return;
    }

    const reply: Reply = (status, body) => {
      if (body === undefined) replyText(res, status);
      else
        replyMessage(
          res,
          status,
          MESOS_MESSAGES.operatorResponse,
          { type, [type.toLowerCase()]: body },
          encoding,
        );
    };
    try {
      await this.dispatch(type, call, res, reply, encoding, admitted.principal);
    } catch (error) {
      if (error instanceof ProtobufEncodeError) {
        // A response the vendored .proto cannot carry: our bug, not the backend's.
        this.options.log.error({ err: error, call: type }, "response not encodable as protobuf");
        if (!res.headersSent) replyText(res, 500, `Failed to encode the response: ${error.message}`);
        return;
      }
      this.options.log.error({ err: error, call: type }, "backend failed");
      if (!res.headersSent) replyText(res, 503, "The master's state is unavailable; retry");
      else res.end();
    }
  }

  private async dispatch(
    type: OperatorCallType,
    call: OperatorCall,
    res: ServerResponse,
    reply: Reply,
    encoding: ResponseEncoding,
    principal: string | undefined,
  ): Promise<void> {
    // The state as this principal may see it (the view_* ACLs).
    const view = async () =>
      visibleSnapshot(this.options.authorizer, principal, await this.backend.snapshot());
    const notImplemented = NOT_IMPLEMENTED[type];
    if (notImplemented !== undefined) {
      replyText(res, 501, `${type} is not supported by this master: ${notImplemented}`);
      return;
    }
    switch (type) {
      case "UNKNOWN":
        replyText(res, 501);
        return;
      case "GET_HEALTH":
        return reply(200, { healthy: true });
      case "GET_FLAGS":
        if (!(await mayViewFlags(this.options.authorizer, principal))) return replyText(res, 403);
        return reply(200, {
          flags: Object.entries(this.backend.master().flags).map(([name, value]) => ({ name, value })),
        });
      case "GET_VERSION":
        return reply(200, { version_info: VERSION_INFO });
      case "GET_METRICS": {
        const metrics = await this.options.metrics();
        return reply(200, { metrics: Object.entries(metrics).map(([name, value]) => ({ name, value })) });
      }
      case "GET_MASTER":
        return reply(200, getMaster(this.backend.master()));
      case "SUBSCRIBE":
        await this.options.streams.subscribe(res, encoding, principal);
        return;
      case "GET_STATE":
        return reply(200, getState(await view()));
      case "GET_AGENTS":
        return reply(200, getAgents(await view()));
      case "GET_FRAMEWORKS":
        return reply(200, getFrameworks(await view()));
      case "GET_EXECUTORS":
        return reply(200, getExecutors(await view()));
      case "GET_TASKS":
        return reply(200, getTasks(await view()));
      case "GET_OPERATIONS":
        return reply(200, { operations: (await this.backend.snapshot()).operations });
      case "GET_ROLES":
        return reply(200, getRoles(await view()));
      case "GET_WEIGHTS":
        return reply(200, getWeights(await view()));
      case "GET_QUOTA":
        return reply(200, getQuota(await view()));
      case "GET_MAINTENANCE_SCHEDULE":
        return reply(200, getMaintenanceSchedule(await view()));
      case "GET_MAINTENANCE_STATUS":
        return reply(200, getMaintenanceStatus(await view()));
      default: {
        const change = await this.toChange(type, call);
        if ("status" in change) {
          replyText(res, change.status, change.message);
          return;
        }
        if (!(await this.authorized(change, principal))) {
          replyText(res, 403);
          return;
        }
        const outcome = await this.backend.changeCluster(change, principal);
        if (!outcome.ok) replyText(res, outcome.status, outcome.message);
        // Reservations are asynchronous in Mesos (202); everything else answers 200 (§3.8).
        else replyText(res, type === "RESERVE_RESOURCES" || type === "UNRESERVE_RESOURCES" ? 202 : 200);
      }
    }
  }

  /**
   * Does the ACLs allow `principal` this change? A TEARDOWN of an unknown framework is not
   * checked: the state side answers 400, which Mesos gives before authorizing.
   */
  private async authorized(change: OperatorChange, principal: string | undefined): Promise<boolean> {
    const authorizer = this.options.authorizer;
    if (authorizer === undefined) return true;
    let frameworkPrincipal: string | undefined;
    if (change.type === "TEARDOWN") {
      const framework = this.backend.registeredFramework(change.frameworkId);
      if (framework === undefined) return true;
      frameworkPrincipal = framework.principal;
    }
    return allAuthorized(authorizer, operatorChangeRequests(change, principal, frameworkPrincipal));
  }

  /** The OperatorChange of a state-changing call, or the error that stops it here. */
  private async toChange(
    type: OperatorCallType,
    call: OperatorCall,
  ): Promise<OperatorChange | Extract<CallOutcome, { ok: false }>> {
    // validateOperatorCall has checked that the call's sub-message is present (hence the `!`s).
    switch (type) {
      case "UPDATE_WEIGHTS":
        return { type, weightInfos: call.update_weights!.weight_infos };
      case "UPDATE_QUOTA": {
        const update = call.update_quota!;
        return { type, force: update.force, quotaConfigs: update.quota_configs };
      }
      case "SET_QUOTA":
        return this.setQuota(call.set_quota!.quota_request);
      case "REMOVE_QUOTA": {
        const role = call.remove_quota!.role;
        const snapshot = await this.backend.snapshot();
        if (!snapshot.quotaConfigs.some((q) => q.role === role))
          return {
            ok: false,
            status: 400,
            message: `Failed to remove quota: Role '${role}' has no quota set`,
          };
        return { type: "UPDATE_QUOTA", force: false, quotaConfigs: [{ role }] };
      }
      case "TEARDOWN":
        return { type, frameworkId: call.teardown!.framework_id.value };
      case "MARK_AGENT_GONE":
        return { type, agentId: call.mark_agent_gone!.agent_id.value };
      case "UPDATE_MAINTENANCE_SCHEDULE":
        return { type, schedule: call.update_maintenance_schedule!.schedule };
      case "START_MAINTENANCE":
        return { type, machines: call.start_maintenance!.machines };
      case "STOP_MAINTENANCE":
        return { type, machines: call.stop_maintenance!.machines };
      case "DRAIN_AGENT": {
        const drain = call.drain_agent!;
        return {
          type,
          agentId: drain.agent_id.value,
          maxGracePeriodSeconds: drain.max_grace_period,
          markGone: drain.mark_gone,
        };
      }
      case "DEACTIVATE_AGENT":
        return { type, agentId: call.deactivate_agent!.agent_id.value };
      case "REACTIVATE_AGENT":
        return { type, agentId: call.reactivate_agent!.agent_id.value };
      case "RESERVE_RESOURCES": {
        const reserve = call.reserve_resources!;
        return {
          type,
          agentId: reserve.agent_id.value,
          source: reserve.source,
          resources: reserve.resources,
        };
      }
      case "UNRESERVE_RESOURCES": {
        const unreserve = call.unreserve_resources!;
        return { type, agentId: unreserve.agent_id.value, resources: unreserve.resources };
      }
      default:
        return { ok: false, status: 400, message: `Unexpected call type ${type}` };
    }
  }

  /** Deprecated SET_QUOTA: guarantee and limit both set to the requested quantities. */
  private async setQuota(request: {
    role?: string | undefined;
    guarantee: Resource[];
    force: boolean;
  }): Promise<OperatorChange | Extract<CallOutcome, { ok: false }>> {
    if (request.role === undefined)
      return { ok: false, status: 400, message: "Failed to validate set quota request: Role is not set" };
    const quantities: Record<string, { value: number }> = {};
    for (const r of request.guarantee) {
      if (r.type !== "SCALAR" || r.scalar === undefined)
        return {
          ok: false,
          status: 400,
          message: `Quota may only include scalar resources, not '${r.name}'`,
        };
      quantities[r.name] = { value: (quantities[r.name]?.value ?? 0) + r.scalar.value };
    }
    const snapshot = await this.backend.snapshot();
    if (snapshot.quotaConfigs.some((q) => q.role === request.role))
      return { ok: false, status: 409, message: `Quota cannot be set for a role that already has quota` };
    return {
      type: "UPDATE_QUOTA",
      force: request.force,
      quotaConfigs: [{ role: request.role, guarantees: quantities, limits: quantities }],
    };
  }
}

/** validation::master::call::validate: the type, and the sub-message it requires. */
function validateOperatorCall(call: OperatorCall): string | undefined {
  if (call.type === undefined) return "Expecting 'type' to be present";
  const field = REQUIRED_SUB_MESSAGE[call.type];
  if (field !== undefined && call[field] === undefined) return `Expecting '${field}' to be present`;
  return undefined;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
