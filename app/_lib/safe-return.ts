// Where to send the user after signing in: only a path on this site. Browsers strip tabs and
// newlines from URLs and read "\" like "/", so "/\t/evil.example" or "/\evil" would leave the
// site: such values, and anything that does not resolve to our own origin, become "/".
const PROBE_ORIGIN = "http://panel.invalid";

export function safeReturnPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return "/";
  try {
    const url = new URL(value, PROBE_ORIGIN);
    return url.origin === PROBE_ORIGIN ? `${url.pathname}${url.search}${url.hash}` : "/";
  } catch {
    return "/";
  }
}
