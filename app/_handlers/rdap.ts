// What GET /rdap/domain/<name>, /rdap/nameserver/<name> and /rdap/help answer (RFC 7480,
// RFC 9082, RFC 9083). Public: no sign-in. Every request counts against its client address's
// limit (lib/registry/lookup-limit.ts; the address comes from X-Forwarded-For as our panel
// server writes it, lib/auth/client-address.ts).
import { clientAddress } from "@/lib/auth/client-address.ts";
import { panelUrl } from "@/lib/config.ts";
import { admitLookup } from "@/lib/registry/lookup-limit.ts";
import { lookupDomain, lookupNameserver, type Lookup } from "@/lib/registry/public-lookup.ts";
import { RDAP_MEDIA_TYPE, rdapDomain, rdapError, rdapHelp, rdapNameserver, type RdapContext } from "@/lib/registry/rdap.ts";
import { registryTlds } from "@/lib/registry/tlds.ts";

const HEADERS = {
  "content-type": RDAP_MEDIA_TYPE,
  // RDAP is read by browser-based clients of other origins (RFC 7480 §5.6).
  "access-control-allow-origin": "*",
  "cache-control": "no-store",
};

function rdapResponse(body: unknown, status = 200, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...HEADERS, ...extra } });
}

/**
 * The base URL of self links: the panel's public URL when the operator set it (NEXTAUTH_URL;
 * behind a proxy, Next's request URL names the local listener, not what the client used),
 * else the request's own origin.
 */
function baseUrl(request: Request): string {
  return process.env.NEXTAUTH_URL ? panelUrl("") : new URL(request.url).origin;
}

/** A path segment as Next hands it over, decoded once (a raw "%" that does not decode is refused as input). */
function segment(value: unknown): string | null {
  if (typeof value !== "string") return null;
  if (!/%[0-9a-f]{2}/i.test(value)) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** Counts the request; a 429 with Retry-After when the address is over its limit. */
async function overLimit(request: Request): Promise<Response | null> {
  const admission = await admitLookup(clientAddress(request.headers));
  if (admission.ok) return null;
  return rdapResponse(
    rdapError(429, "Too Many Requests", [`At most ${admission.limit} queries per minute from one address; try again in ${admission.retryAfterSeconds} seconds.`]),
    429,
    { "retry-after": String(admission.retryAfterSeconds) },
  );
}

function refusal<T>(verdict: Exclude<Lookup<T>, { kind: "found" }>, what: string): Response {
  if (verdict.kind === "invalid") return rdapResponse(rdapError(400, "Bad Request", [`Not a ${what} name: ${verdict.reason}.`]), 400);
  if (verdict.kind === "not-ours") {
    const tlds = verdict.tlds.map((t) => `.${t}`).join(", ") || "no TLD yet";
    return rdapResponse(rdapError(404, "Not Found", [`${verdict.name} is not under a TLD this registry runs (${tlds}): this server is not authoritative for it.`]), 404);
  }
  return rdapResponse(rdapError(404, "Not Found", [`No ${what} ${verdict.name} in this registry.`]), 404);
}

function failure(e: unknown): Response {
  console.error("[rdap] lookup failed:", e);
  return rdapResponse(rdapError(500, "Internal Server Error", ["The registry could not be read; try again later."]), 500);
}

const context = (request: Request, verdict: { tlds: string[]; ourNameservers: string[] }): RdapContext => ({
  baseUrl: baseUrl(request),
  tlds: verdict.tlds,
  ourNameservers: verdict.ourNameservers,
  now: new Date(),
});

export async function rdapDomainResponse(request: Request, params: { name?: unknown }): Promise<Response> {
  const limited = await overLimit(request);
  if (limited) return limited;
  const name = segment(params.name);
  if (name === null) return refusal({ kind: "invalid", reason: "the name is not readable" }, "domain");
  try {
    const verdict = await lookupDomain(name);
    if (verdict.kind !== "found") return refusal(verdict, "domain");
    return rdapResponse(rdapDomain(verdict.object, context(request, verdict)));
  } catch (e) {
    return failure(e);
  }
}

export async function rdapNameserverResponse(request: Request, params: { name?: unknown }): Promise<Response> {
  const limited = await overLimit(request);
  if (limited) return limited;
  const name = segment(params.name);
  if (name === null) return refusal({ kind: "invalid", reason: "the name is not readable" }, "nameserver");
  try {
    const verdict = await lookupNameserver(name);
    if (verdict.kind !== "found") return refusal(verdict, "nameserver");
    return rdapResponse(rdapNameserver(verdict.object, context(request, verdict)));
  } catch (e) {
    return failure(e);
  }
}

export async function rdapHelpResponse(request: Request): Promise<Response> {
  const limited = await overLimit(request);
  if (limited) return limited;
  try {
    return rdapResponse(rdapHelp({ baseUrl: baseUrl(request), tlds: await registryTlds() }));
  } catch (e) {
    return failure(e);
  }
}
