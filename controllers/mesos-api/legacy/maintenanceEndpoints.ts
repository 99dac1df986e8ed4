// The v0 maintenance endpoints of a Mesos master (semantics.md §3.4, Mesos master/http.cpp
// maintenanceSchedule, maintenanceStatus, machineDown, machineUp): GET|POST
// /master/maintenance/schedule, GET /master/maintenance/status, POST /master/machine/down and
// /master/machine/up. The same changes as the operator API's UPDATE_MAINTENANCE_SCHEDULE,
// START_MAINTENANCE and STOP_MAINTENANCE, through the backend, with the same ACLs; bodies are the
// bare Schedule, or the bare JSON array of MachineIDs, as Mesos reads them.
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { Authorizer } from "../authorization/aclsFile.ts";
import { allAuthorized, operatorChangeRequests } from "../authorization/callAuthorization.ts";
import { visibleSnapshot } from "../authorization/stateView.ts";
import type { MesosBackend, OperatorChange } from "../backend.ts";
import { type Authentication, authenticateRequest, READWRITE_REALM } from "../http/authentication.ts";
import type { ApiLogger } from "../http/logger.ts";
import { replyJsonOrJsonp, replyText } from "../http/replies.ts";
import { readRequestBody } from "../http/requestBody.ts";
import { MachineIdSchema, MaintenanceScheduleSchema } from "../messages/maintenance.ts";
import { describeParseError } from "../wire/parseError.ts";

export const MAINTENANCE_ENDPOINTS = [
  "maintenance/schedule",
  "maintenance/status",
  "machine/down",
  "machine/up",
] as const;
export type MaintenanceEndpoint = (typeof MAINTENANCE_ENDPOINTS)[number];

const MachineListSchema = z.array(MachineIdSchema);
const JSONP_CALLBACK = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

export interface MaintenanceEndpointsOptions {
  backend: MesosBackend;
  authentication: Authentication | undefined;
  authorizer?: Authorizer | undefined;
  maxRequestBytes: number;
  log: ApiLogger;
}

export class MaintenanceEndpoints {
  constructor(private readonly options: MaintenanceEndpointsOptions) {}

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    endpoint: MaintenanceEndpoint,
    query: URLSearchParams,
  ) {
    const { backend, authentication } = this.options;
    const auth = await authenticateRequest(
      req,
      authentication,
      authentication?.operators ?? false,
      READWRITE_REALM,
    );
    if (!auth.ok) return replyText(res, 401, "", { "WWW-Authenticate": auth.challenge });
    const methods =
      endpoint === "maintenance/schedule"
        ? ["GET", "POST"]
        : endpoint === "maintenance/status"
          ? ["GET"]
          : ["POST"];
    const method = req.method === "HEAD" ? "GET" : (req.method ?? "");
    if (!methods.includes(method))
      return replyText(
        res,
        405,
        `Expecting one of { '${methods.join("', '")}' }, but received '${req.method ?? ""}'`,
        {
          Allow: methods.join(", "),
        },
      );
    try {
      if (method === "GET") {
        const jsonp = query.get("jsonp") ?? undefined;
        if (jsonp !== undefined && !JSONP_CALLBACK.test(jsonp))
          return replyText(res, 400, "Invalid jsonp callback");
        const { maintenance } = await visibleSnapshot(
          this.options.authorizer,
          auth.principal,
          await backend.snapshot(),
        );
        return replyJsonOrJsonp(
          res,
          endpoint === "maintenance/schedule" ? maintenance.schedule : maintenance.status,
          jsonp,
        );
      }
      const body = await readRequestBody(req, this.options.maxRequestBytes);
      if (!body.ok) return replyText(res, body.reason === "too-large" ? 413 : 400, "Request body not read");
      let json: unknown;
      try {
        json = JSON.parse(body.body.toString("utf8"));
      } catch (err) {
        return replyText(res, 400, `Failed to parse the request body as JSON: ${(err as Error).message}`);
      }
      const change = this.changeOf(endpoint, json);
      if ("error" in change) return replyText(res, 400, change.error);
      if (!(await this.authorized(change, auth.principal))) return replyText(res, 403);
      const outcome = await backend.changeCluster(change, auth.principal);
      return outcome.ok ? replyText(res, 200) : replyText(res, outcome.status, outcome.message);
    } catch (error) {
      this.options.log.error({ err: error, endpoint }, "backend failed");
      if (!res.headersSent) replyText(res, 503, "The master's state is unavailable; retry");
    }
  }

  private changeOf(endpoint: MaintenanceEndpoint, json: unknown): OperatorChange | { error: string } {
    if (endpoint === "maintenance/schedule") {
      const schedule = MaintenanceScheduleSchema.safeParse(json);
      return schedule.success
        ? { type: "UPDATE_MAINTENANCE_SCHEDULE", schedule: schedule.data }
        : { error: `Failed to convert JSON into Schedule protobuf: ${describeParseError(schedule.error)}` };
    }
    const machines = MachineListSchema.safeParse(json);
    if (!machines.success)
      return {
        error: `Failed to convert JSON into MachineID protobufs: ${describeParseError(machines.error)}`,
      };
    return endpoint === "machine/down"
      ? { type: "START_MAINTENANCE", machines: machines.data }
      : { type: "STOP_MAINTENANCE", machines: machines.data };
  }

  private async authorized(change: OperatorChange, principal: string | undefined): Promise<boolean> {
    const authorizer = this.options.authorizer;
    if (authorizer === undefined) return true;
    return allAuthorized(authorizer, operatorChangeRequests(change, principal, undefined));
  }
}
