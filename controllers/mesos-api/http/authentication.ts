// Optional HTTP Basic authentication (Mesos --authenticate_http_frameworks and
// --authenticate_http_readwrite/readonly). Checking the credentials is the caller's business
// (a Kubernetes Secret in production); this file only reads the header and names the realms.
import type { IncomingMessage } from "node:http";

export interface Credentials {
  username: string;
  password: string;
}

export interface Authentication {
  /** The principal for these credentials, or undefined when they are wrong. */
  authenticate(credentials: Credentials): Promise<string | undefined>;
  /** Require credentials on the scheduler API (realm mesos-master-scheduler). */
  frameworks: boolean;
  /** Require credentials on the operator API and the legacy endpoints. */
  operators: boolean;
}

export const SCHEDULER_REALM = "mesos-master-scheduler";
export const READWRITE_REALM = "mesos-master-readwrite";
export const READONLY_REALM = "mesos-master-readonly";

/** The Basic credentials of a request, if it carries well-formed ones. */
export function basicCredentials(req: IncomingMessage): Credentials | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] ?? "", "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export type AuthenticationResult =
  | { ok: true; principal: string | undefined }
  | { ok: false; challenge: string };

/** Authenticate `req` for `realm` when `required`; without it, no principal is established. */
export async function authenticateRequest(
  req: IncomingMessage,
  authentication: Authentication | undefined,
  required: boolean,
  realm: string,
): Promise<AuthenticationResult> {
  if (authentication === undefined || !required) return { ok: true, principal: undefined };
  const credentials = basicCredentials(req);
  const principal = credentials === undefined ? undefined : await authentication.authenticate(credentials);
  if (principal === undefined) return { ok: false, challenge: `Basic realm="${realm}"` };
  return { ok: true, principal };
}
