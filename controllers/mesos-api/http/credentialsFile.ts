// Framework/operator credentials from a file in Mesos's --credentials format, for the Basic
// authentication of the Mesos HTTP API. In the chart the file is a mounted Secret key: the kubelet
// replaces it when the Secret changes, so the file is re-read whenever its mtime or size changes
// (rotation works without a restart and the operator needs no RBAC on Secrets).

import { timingSafeEqual } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { z } from "zod";
import type { Authentication, Credentials } from "./authentication.ts";

const CredentialSchema = z.object({ principal: z.string().min(1), secret: z.string() });
const JsonCredentialsSchema = z.object({ credentials: z.array(CredentialSchema) });

/**
 * Parse Mesos's credentials format: JSON `{"credentials": [{"principal", "secret"}]}`, or the
 * legacy text form, one `principal secret` pair a line (mesos::internal::credentials::read).
 */
export function parseCredentials(text: string): Map<string, string> {
  const trimmed = text.trim();
  const secrets = new Map<string, string>();
  if (trimmed.startsWith("{")) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (err) {
      throw new Error(`credentials: invalid JSON: ${(err as Error).message}`);
    }
    const parsed = JsonCredentialsSchema.safeParse(json);
    if (!parsed.success) {
      throw new Error(
        `credentials: expected {"credentials": [{"principal", "secret"}]}: ${z.prettifyError(parsed.error)}`,
      );
    }
    for (const c of parsed.data.credentials) secrets.set(c.principal, c.secret);
    return secrets;
  }
  for (const [index, line] of trimmed.split("\n").entries()) {
    const fields = line
      .trim()
      .split(/\s+/)
      .filter((f) => f.length > 0);
    if (fields.length === 0) continue;
    if (fields.length !== 2) {
      throw new Error(`credentials: line ${index + 1}: expected 'principal secret'`);
    }
    secrets.set(fields[0] as string, fields[1] as string);
  }
  return secrets;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface CredentialsFileOptions {
  path: string;
  frameworks: boolean;
  operators: boolean;
  /** A file that cannot be read or parsed keeps the last good credentials; this reports why. */
  onError?: (error: Error) => void;
}

/** Authentication against a credentials file, reloaded when it changes. */
export async function credentialsFileAuthentication(
  options: CredentialsFileOptions,
): Promise<Authentication> {
  let secrets = parseCredentials(await readFile(options.path, "utf8"));
  let version = await fileVersion(options.path);
  async function current(): Promise<Map<string, string>> {
    try {
      const now = await fileVersion(options.path);
      if (now !== version) {
        secrets = parseCredentials(await readFile(options.path, "utf8"));
        version = now;
      }
    } catch (err) {
      options.onError?.(err as Error);
    }
    return secrets;
  }
  return {
    frameworks: options.frameworks,
    operators: options.operators,
    async authenticate(credentials: Credentials) {
      const expected = (await current()).get(credentials.username);
      if (expected === undefined || !sameSecret(credentials.password, expected)) return undefined;
      return credentials.username;
    },
  };
}

async function fileVersion(path: string): Promise<string> {
  const s = await stat(path);
  return `${s.mtimeMs}:${s.size}:${s.ino}`;
}
