// The read-only endpoints Mesos tools read (semantics.md §3.4–3.5): GET only, JSON (or JSONP
// with `?jsonp=`), served by any replica like Mesos serves them from any master — except
// /master/redirect, which points at the leader.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Authorizer } from "../authorization/aclsFile.ts";
import { mayViewFlags, visibleSnapshot } from "../authorization/stateView.ts";
import type { MesosBackend } from "../backend.ts";
import { type Authentication, authenticateRequest, READONLY_REALM } from "../http/authentication.ts";
import { leaderUrl } from "../http/leaderRouting.ts";
import type { ApiLogger } from "../http/logger.ts";
import { replyJsonOrJsonp, replyText } from "../http/replies.ts";
import { VERSION_INFO } from "../mesosVersion.ts";
import { frameworksEndpoint } from "./frameworksEndpoint.ts";
import { masterState } from "./masterState.ts";
import { rolesEndpoint } from "./rolesEndpoint.ts";
import { slavesEndpoint } from "./slavesEndpoint.ts";
import { stateSummary } from "./stateSummary.ts";
import { parseTasksQuery, tasksEndpoint } from "./tasksEndpoint.ts";

export const LEGACY_ENDPOINTS = [
  "state",
  "state-summary",
  "frameworks",
  "slaves",
  "tasks",
  "roles",
  "flags",
  "redirect",
  "health",
  "version",
  "metrics",
] as const;
export type LegacyEndpoint = (typeof LEGACY_ENDPOINTS)[number];

// A JavaScript name path: the callback is written into a script, so nothing else gets through.
const JSONP_CALLBACK = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

export interface LegacyEndpointsOptions {
  backend: MesosBackend;
  authentication: Authentication | undefined;
  /** Backend metrics plus the HTTP layer's own. */
  metrics: () => Promise<Record<string, number>>;
  log: ApiLogger;
  /** The view_* ACLs filter what /state, /frameworks, /tasks and /roles show; undefined: all. */
  authorizer?: Authorizer | undefined;
}

export class LegacyEndpoints {
  constructor(private readonly options: LegacyEndpointsOptions) {}

  async handle(req: IncomingMessage, res: ServerResponse, endpoint: LegacyEndpoint, query: URLSearchParams) {
    const auth = await authenticateRequest(
      req,
      this.options.authentication,
      // Mesos routes /health without an authentication realm: load balancers probe it bare.
      endpoint !== "health" && (this.options.authentication?.operators ?? false),
      READONLY_REALM,
    );
    if (!auth.ok) {
      replyText(res, 401, "", { "WWW-Authenticate": auth.challenge });
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      replyText(res, 405, `Expecting one of { 'GET' }, but received '${req.method ?? ""}'`, { Allow: "GET" });
      return;
    }
    try {
      await this.serve(res, endpoint, query, auth.principal);
    } catch (error) {
      this.options.log.error({ err: error, endpoint }, "backend failed");
      if (!res.headersSent) replyText(res, 503, "The master's state is unavailable; retry");
    }
  }

  private async serve(
    res: ServerResponse,
    endpoint: LegacyEndpoint,
    query: URLSearchParams,
    principal: string | undefined,
  ): Promise<void> {
    const backend = this.options.backend;
    const authorizer = this.options.authorizer;
    const view = async () => visibleSnapshot(authorizer, principal, await backend.snapshot());
    const jsonp = query.get("jsonp") ?? undefined;
    if (jsonp !== undefined && !JSONP_CALLBACK.test(jsonp))
      return replyText(res, 400, "Invalid jsonp callback");
    const json = (body: unknown) => replyJsonOrJsonp(res, body, jsonp);
    switch (endpoint) {
      case "health":
        return replyText(res, 200);
      case "version":
        return json(VERSION_INFO);
      case "flags":
        if (!(await mayViewFlags(authorizer, principal))) return replyText(res, 403);
        return json({ flags: backend.master().flags });
      case "metrics":
        return json(await this.options.metrics());
      case "redirect": {
        const leadership = backend.leadership();
        const leader = leadership.leading
          ? { hostname: backend.master().info.hostname ?? "", port: backend.master().info.port }
          : leadership.leader;
        if (leader === undefined) return replyText(res, 503, "No leader elected");
        return replyText(res, 307, "", { Location: leaderUrl(leader) });
      }
      case "state": {
        // Without view_flags no flags are shown (Mesos leaves the field out).
        const master = backend.master();
        const shown = (await mayViewFlags(authorizer, principal)) ? master : { ...master, flags: {} };
        return json(masterState(shown, backend.leadership(), await view()));
      }
      case "state-summary":
        return json(stateSummary(backend.master(), await view()));
      case "frameworks":
        return json(frameworksEndpoint(await view(), query.get("framework_id") ?? undefined));
      case "slaves":
        return json(slavesEndpoint(await view(), query.get("slave_id") ?? undefined));
      case "roles":
        return json(rolesEndpoint(await view()));
      case "tasks": {
        const tasksQuery = parseTasksQuery(query);
        if ("error" in tasksQuery) return replyText(res, 400, tasksQuery.error);
        return json(tasksEndpoint(await view(), tasksQuery));
      }
    }
  }
}
