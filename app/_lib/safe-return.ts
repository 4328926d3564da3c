/** A same-site path to return to after signing in; anything else (absolute URLs, "//x") is "/". */
export function safeReturnPath(value: unknown): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : "/";
}
