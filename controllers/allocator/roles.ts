// Role names and the role hierarchy (src/common/roles.cpp; semantics.md §4.2).

/** Why `role` is not a valid Mesos role name, or undefined when it is valid. */
export function roleNameError(role: string): string | undefined {
  if (role === "*") return undefined;
  if (role.length === 0) return "Empty role name is invalid";
  if (role.startsWith("/")) return `Role '${role}' cannot start with a slash`;
  if (role.endsWith("/")) return `Role '${role}' cannot end with a slash`;
  for (const component of role.split("/")) {
    if (component === "") return `Role '${role}' cannot contain two adjacent slashes`;
    if (component === "." || component === ".." || component === "*")
      return `Role '${role}' cannot have '${component}' as a path component`;
    if (component.startsWith("-")) return `Role '${role}' cannot have a path component starting with '-'`;
    // Whitespace, backspace and other control characters are refused by Mesos.
    for (let i = 0; i < component.length; i++) {
      const code = component.charCodeAt(i);
      if (code <= 0x20 || code === 0x7f)
        return `Role '${role}' cannot contain whitespace or control characters`;
    }
  }
  return undefined;
}

export const isValidRole = (role: string): boolean => roleNameError(role) === undefined;

/** Ancestors of a role, nearest first: "a/b/c" → ["a/b", "a"]. */
export function roleAncestors(role: string): string[] {
  const out: string[] = [];
  let i = role.lastIndexOf("/");
  while (i > 0) {
    out.push(role.slice(0, i));
    i = role.lastIndexOf("/", i - 1);
  }
  return out;
}

/** The top-level role of a path ("a/b/c" → "a"); quota and its consumption live there. */
export function topLevelRole(role: string): string {
  const i = role.indexOf("/");
  return i < 0 ? role : role.slice(0, i);
}

/** True when `role` is a strict descendant of `ancestor` ("a/b" of "a", but not "ab" of "a"). */
export function isStrictSubrole(role: string, ancestor: string): boolean {
  return (
    role.length > ancestor.length && role.startsWith(ancestor) && role.charCodeAt(ancestor.length) === 47
  );
}
