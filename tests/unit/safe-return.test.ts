// After sign-in we only ever go to a path of our own site (no open redirect).
import { describe, expect, it } from "vitest";
import { safeReturnPath } from "../../app/_lib/safe-return.ts";

describe("safeReturnPath", () => {
  it("keeps paths of this site, with their query", () => {
    expect(safeReturnPath("/t/acme/domains/example.test?type=MX")).toBe("/t/acme/domains/example.test?type=MX");
    expect(safeReturnPath("/invite/abc")).toBe("/invite/abc");
  });

  it("refuses everything that could leave the site", () => {
    for (const bad of ["https://evil.example/", "//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "javascript:alert(1)", "evil", "", null, 42, ["/"]]) {
      expect(safeReturnPath(bad)).toBe("/");
    }
  });
});
