// Names and label values that Kubernetes accepts, derived deterministically from Mesos IDs and
// object names (which allow characters Kubernetes refuses). A derived name carries a hash of the
// original whenever it had to be changed, so two different originals never share a name.
import { createHash } from "node:crypto";

const DNS_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

export const isDnsLabel = (s: string): boolean => s.length <= 63 && DNS_LABEL_RE.test(s);
export const isDnsSubdomain = (s: string): boolean => s.length <= 253 && DNS_SUBDOMAIN_RE.test(s);
export const isLabelValue = (s: string): boolean => s.length <= 63 && LABEL_VALUE_RE.test(s);

/** A label or annotation key: `[prefix/]name`, prefix a DNS subdomain, name ≤ 63 characters. */
export function isQualifiedName(key: string): boolean {
  const parts = key.split("/");
  if (parts.length > 2) return false;
  const name = parts.at(-1)!;
  if (name.length > 63 || !QUALIFIED_NAME_RE.test(name)) return false;
  return parts.length === 1 || (parts[0]!.length > 0 && isDnsSubdomain(parts[0]!));
}

/** The first `length` hex digits of the SHA-256 of `text`. */
export const shortHash = (text: string, length = 10): string =>
  createHash("sha256").update(text).digest("hex").slice(0, length);

/** Lowercase, characters outside [a-z0-9-] as '-', no leading or trailing '-'. */
function toDnsLabelChars(text: string, maxLength: number): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, maxLength)
    .replace(/^-+/, "")
    .replace(/-+$/, "");
}

/**
 * A DNS-1123 label (≤ maxLength, at most 63) for `text`: `text` itself when it already is one,
 * otherwise its legal characters plus a hash of the original.
 */
export function dnsLabelFor(text: string, maxLength = 63): string {
  const max = Math.min(maxLength, 63);
  if (text.length <= max && isDnsLabel(text)) return text;
  const hash = shortHash(text);
  const base = toDnsLabelChars(text, max - hash.length - 1);
  return base === "" ? hash : `${base}-${hash}`;
}

/** `prefix-hash` as a DNS-1123 label, the prefix cut so the whole fits in 63 characters. */
export function dnsLabelWithHash(prefix: string, hashOf: string): string {
  const hash = shortHash(hashOf);
  const base = toDnsLabelChars(prefix, 63 - hash.length - 1);
  return base === "" ? hash : `${base}-${hash}`;
}

/** A label value for `text`: itself when valid, otherwise its legal characters plus a hash. */
export function labelValueFor(text: string): string {
  if (isLabelValue(text)) return text;
  const hash = shortHash(text);
  const base = text
    .replace(/[^-A-Za-z0-9_.]/g, "-")
    .slice(0, 63 - hash.length - 1)
    .replace(/^[^A-Za-z0-9]+/, "")
    .replace(/[^A-Za-z0-9]+$/, "");
  return base === "" ? hash : `${base}-${hash}`;
}
