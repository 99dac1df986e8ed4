// The ACLs of --acls-file, re-read when the file changes (a mounted ConfigMap or Secret is swapped
// by the kubelet), as the credentials file is. A broken update keeps the last good ACLs.
import { readFile, stat } from "node:fs/promises";
import { parseAcls } from "./acls.ts";
import { type AuthorizationRequest, authorize } from "./localAuthorizer.ts";

/** Decides requests against the current ACLs. */
export type Approver = (request: AuthorizationRequest) => boolean;

/** Decides requests; the HTTP layer asks it only when ACLs are configured (Mesos: no --acls, no checks). */
export interface Authorizer {
  /** An approver over the ACLs as they are now: one file check for many requests (a state view). */
  approver(): Promise<Approver>;
}

/** Is this one request allowed? */
export async function isAuthorized(authorizer: Authorizer, request: AuthorizationRequest): Promise<boolean> {
  return (await authorizer.approver())(request);
}

export interface AclsFileOptions {
  path: string;
  /** A file that cannot be read or parsed keeps the last good ACLs; this reports why. */
  onError?: (error: Error) => void;
}

/** An Authorizer over an ACLs file. Throws when the file cannot be read or parsed at start. */
export async function aclsFileAuthorizer(options: AclsFileOptions): Promise<Authorizer> {
  let acls = parseAcls(await readFile(options.path, "utf8"));
  let version = await fileVersion(options.path);
  return {
    async approver() {
      try {
        const now = await fileVersion(options.path);
        if (now !== version) {
          // Remembered before parsing, so a broken version is reported once, not on every request.
          version = now;
          acls = parseAcls(await readFile(options.path, "utf8"));
        }
      } catch (err) {
        options.onError?.(err as Error);
      }
      const current = acls;
      return (request) => authorize(current, request);
    },
  };
}

async function fileVersion(path: string): Promise<string> {
  const s = await stat(path);
  return `${s.mtimeMs}:${s.size}:${s.ino}`;
}
