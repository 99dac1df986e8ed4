import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENFORCED_ACLS } from "./acls.ts";

describe("ENFORCED_ACLS", () => {
  it("every enforced ACL is documented for operators and in the compatibility table", () => {
    const operations = readFileSync(new URL("../../../docs/operations.md", import.meta.url), "utf8");
    const compatibility = readFileSync(
      new URL("../../../docs/mesos-compatibility.md", import.meta.url),
      "utf8",
    );
    for (const acl of Object.keys(ENFORCED_ACLS)) {
      expect(operations, acl).toContain(`\`${acl}\``);
      expect(compatibility, acl).toContain(`\`${acl}\``);
    }
  });
});
