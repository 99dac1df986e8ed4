// The checks /api/v1/scheduler and /api/v1 share, in Mesos's order (semantics.md §1.2 #0–#7,
// §3.1): authentication (401), leadership (307/503), recovery (503), method (405), Content-Type
// (400/415), body size (413), JSON or protobuf syntax (400). What passes is the call in its JSON
// shape, whichever encoding it came in, and the principal.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { MesosBackend } from "../backend.ts";
import { requestEncoding } from "../wire/mediaType.ts";
import { decodeMessage } from "../wire/messageCodec.ts";
import type { MesosMessage } from "../wire/protobufCodec.ts";
import { type Authentication, authenticateRequest } from "./authentication.ts";
import { routeToLeader } from "./leaderRouting.ts";
import { replyText } from "./replies.ts";
import { readRequestBody } from "./requestBody.ts";

export interface AdmissionContext {
  backend: MesosBackend;
  authentication: Authentication | undefined;
  authenticationRequired: boolean;
  realm: string;
  maxRequestBytes: number;
}

export interface AdmittedCall {
  principal: string | undefined;
  json: unknown;
}

/**
 * Run the shared checks and decode the body as a `callMessage`; on failure the reply has been
 * sent and undefined is returned.
 */
export async function admitApiCall(
  req: IncomingMessage,
  res: ServerResponse,
  context: AdmissionContext,
  callMessage: MesosMessage,
): Promise<AdmittedCall | undefined> {
  const auth = await authenticateRequest(
    req,
    context.authentication,
    context.authenticationRequired,
    context.realm,
  );
  if (!auth.ok) {
    replyText(res, 401, "", { "WWW-Authenticate": auth.challenge });
    return undefined;
  }

  const route = routeToLeader(context.backend.leadership());
  if (!route.serve) {
    if (route.status === 307) replyText(res, 307, "", { Location: route.location });
    else replyText(res, 503, route.message);
    return undefined;
  }
  if (!context.backend.recovered()) {
    replyText(res, 503, "Master has not finished recovery");
    return undefined;
  }

  if (req.method !== "POST") {
    replyText(res, 405, `Expecting one of { 'POST' }, but received '${req.method ?? ""}'`, { Allow: "POST" });
    return undefined;
  }

  const contentType = req.headers["content-type"];
  if (contentType === undefined) {
    replyText(res, 400, "Expecting 'Content-Type' to be present");
    return undefined;
  }
  const encoding = requestEncoding(contentType);
  if (encoding === "other") {
    replyText(res, 415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
    return undefined;
  }

  const body = await readRequestBody(req, context.maxRequestBytes);
  if (!body.ok) {
    if (body.reason === "too-large") replyText(res, 413, "Request body too large", { Connection: "close" });
    else res.destroy();
    return undefined;
  }
  const decoded = decodeMessage(encoding, callMessage, body.body);
  if (!decoded.ok) {
    replyText(res, 400, decoded.message);
    return undefined;
  }
  return { principal: auth.principal, json: decoded.json };
}
