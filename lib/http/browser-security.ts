// What the panel's HTTP server (scripts/panel-server.ts) adds to, or refuses before, every
// request Next handles: security headers, and the requests that must get a 4xx from us rather
// than a 500 from deep inside Next.
//
// Content-Security-Policy with a fresh nonce per request: the same policy is set on the request
// (Next reads the nonce from the request's content-security-policy header and puts it on every
// script it renders, app-render/get-script-nonce-from-header) and on the response (the browser
// enforces it). 'strict-dynamic' lets those scripts load Next's chunks; nothing else runs.
// Styles stay 'unsafe-inline': React and the chart library set style attributes, which a nonce
// cannot cover, and a style cannot run code. frame-ancestors 'none' forbids framing
// (clickjacking), X-Frame-Options says the same to older browsers.
import { randomBytes } from "node:crypto";

export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/** The policy for one response. `dev`: Next's dev server evaluates code (react-refresh). */
export function contentSecurityPolicy(nonce: string, opts: { dev?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${opts.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Every response's security headers. HSTS only when the panel is served over https (NEXTAUTH_URL). */
export function securityHeaders(csp: string, https: boolean): Record<string, string> {
  return {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    ...(https ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/** Bodies larger than this are refused with 413 before they reach Next (a zone file import is the largest we take). */
export const MAX_BODY_BYTES = 20 * 1024 * 1024;

export interface RequestRefusal {
  status: number;
  message: string;
}

type HeaderValue = string | string[] | undefined;

/**
 * A request to refuse with a 4xx before Next sees it, or null. Next answers a server action
 * posted from another site (its Origin check) and a body over its limit with 500; a client
 * error deserves a client status, and a 500 hides real failures in the logs.
 */
export function refuseRequest(req: { method?: string; headers: Record<string, HeaderValue> }): RequestRefusal | null {
  const length = Number(req.headers["content-length"] ?? 0);
  if (Number.isFinite(length) && length > MAX_BODY_BYTES) return { status: 413, message: `request body over ${MAX_BODY_BYTES} bytes` };
  const method = (req.method ?? "GET").toUpperCase();
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return null;
  // A browser sends Origin with every cross-site (and same-site) POST; a state-changing request
  // whose Origin names another host is a cross-site request forgery attempt or a misconfigured
  // proxy: either way not ours to act on. Requests without Origin (curl, API clients) go on.
  const origin = first(req.headers.origin);
  if (!origin) return null;
  const host = first(req.headers["x-forwarded-host"]) ?? first(req.headers.host);
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return { status: 403, message: "cross-site request refused" };
  }
  return host && originHost === host ? null : { status: 403, message: "cross-site request refused" };
}

function first(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
