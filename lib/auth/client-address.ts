// The client's IP address for rate limiting, from X-Forwarded-For.
//
// scripts/panel-server.ts (our HTTP server in front of Next) writes the socket's peer address
// as the LAST entry, so that entry is one nobody could forge. Behind reverse proxies that
// append too (nginx, a load balancer), set TRUSTED_PROXY_HOPS to how many there are: the
// address is then that many entries further left. Entries left of that are whatever the
// client claimed, and are ignored.
type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(",") : value;
}

export function clientAddress(headers: HeaderSource, trustedHops = Number(process.env.TRUSTED_PROXY_HOPS ?? 0)): string | null {
  const entries = (header(headers, "x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const hops = Number.isInteger(trustedHops) && trustedHops > 0 ? trustedHops : 0;
  const address = entries[entries.length - 1 - hops] ?? entries[0];
  return address ? address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "") : null;
}
