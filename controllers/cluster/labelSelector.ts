// Label selectors in the text form the API server and kubectl use (`type=kwok,zone in (a,b),!gpu`),
// parsed into the structured form (matchExpressions) the allocator's agent selector evaluates.
// Grammar and name rules of k8s.io/apimachinery/pkg/labels; the `>`/`<` operators (node affinity
// only) are refused because a LabelSelector cannot express them.
import type { LabelSelector, LabelSelectorRequirement } from "../allocator/agentSelector.ts";

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export class LabelSelectorError extends Error {
  override readonly name = "LabelSelectorError";
}

function checkKey(key: string): void {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    throw new LabelSelectorError(`label key "${key}": prefix must be a DNS subdomain`);
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) {
    throw new LabelSelectorError(
      `label key "${key}": name must be 1-63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
    );
  }
}

function checkValue(value: string): void {
  if (value.length > 63 || (value.length > 0 && !NAME.test(value))) {
    throw new LabelSelectorError(
      `label value "${value}": must be at most 63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
    );
  }
}

/** Splits on commas outside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) throw new LabelSelectorError(`unbalanced ")" in "${text}"`);
  }
  if (depth !== 0) throw new LabelSelectorError(`unbalanced "(" in "${text}"`);
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

function parseRequirement(part: string): LabelSelectorRequirement {
  if (part === "") throw new LabelSelectorError("empty requirement (a stray comma?)");
  let m = /^!\s*(\S+)$/.exec(part);
  if (m) {
    checkKey(m[1]!);
    return { key: m[1]!, operator: "DoesNotExist" };
  }
  m = /^(\S+?)\s+(in|notin)\s*\(([^()]*)\)$/.exec(part);
  if (m) {
    const values = m[3]!.split(",").map((v) => v.trim());
    if (values.length === 1 && values[0] === "") throw new LabelSelectorError(`"${part}": empty value set`);
    checkKey(m[1]!);
    for (const v of values) checkValue(v);
    return { key: m[1]!, operator: m[2] === "in" ? "In" : "NotIn", values };
  }
  m = /^([^=!<>\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
  if (m) {
    checkKey(m[1]!);
    checkValue(m[3]!);
    return { key: m[1]!, operator: m[2] === "!=" ? "NotIn" : "In", values: [m[3]!] };
  }
  if (/[<>]/.test(part))
    throw new LabelSelectorError(`"${part}": the > and < operators are not supported here`);
  if (/^\S+$/.test(part)) {
    checkKey(part);
    return { key: part, operator: "Exists" };
  }
  throw new LabelSelectorError(
    `"${part}": not a label requirement (key, !key, key=value, key!=value, key in (a,b), key notin (a,b))`,
  );
}

/** Parses selector text; "" selects everything (undefined). Throws LabelSelectorError. */
export function parseLabelSelector(text: string): LabelSelector | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  return { matchExpressions: splitTopLevel(trimmed).map(parseRequirement) };
}
