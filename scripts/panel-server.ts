// The panel's HTTP server: Next's request handler behind a plain node:http server, so that the
// client address the sign-in rate limit sees comes from the socket, not from a header the
// client wrote. (`next start` only fills X-Forwarded-For when the request has none.)
//
// TRUSTED_PROXY_HOPS=0 (default, the panel faces clients directly): X-Forwarded-For is
// replaced by the peer address. N > 0 (N reverse proxies in front, each appending): the peer
// is appended, and lib/auth/client-address.ts reads the entry N places from the right.
//
// Usage: node --import tsx scripts/panel-server.ts [--dev]   (PORT, PANEL_ADDRESS, TRUSTED_PROXY_HOPS, WHOIS_PORT, WHOIS_ADDRESS)
// Production runs it compiled: node dist/scripts/panel-server.js (npm start, the Docker image).
import http from "node:http";
import next from "next";
import { PROJECT_ROOT, refuseWithoutProductionDatabase } from "../lib/db/bootstrap.ts";
import { startRegistryScheduler } from "../lib/registry/scheduler.ts";
import { startWhoisServer } from "../lib/registry/whois.ts";
import { contentSecurityPolicy, newNonce, refuseRequest, securityHeaders } from "../lib/http/browser-security.ts";

// The panel opens no database of its own: without DATABASE_URL it would start, then fail on
// every request. Say so at once instead.
refuseWithoutProductionDatabase("panel");

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
// Not HOSTNAME: shells and containers set that to the machine name.
const hostname = process.env.PANEL_ADDRESS ?? "0.0.0.0";
const trustedHops = Number(process.env.TRUSTED_PROXY_HOPS ?? 0);

if (!dev && /^http:\/\//.test(process.env.NEXTAUTH_URL ?? "") && !/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|\/|$)/.test(process.env.NEXTAUTH_URL ?? "")) {
  console.warn(`[panel] NEXTAUTH_URL is ${process.env.NEXTAUTH_URL}: session cookies are Secure in production, so serve the panel over https`);
}

// The project, not this file's folder: compiled, this file is in dist/scripts/.
const app = next({ dev, dir: PROJECT_ROOT, port, hostname });
const handle = app.getRequestHandler();
await app.prepare();

const https = /^https:\/\//.test(process.env.NEXTAUTH_URL ?? "");

const server = http.createServer((req, res) => {
  // Security headers on every response, with this request's script nonce (lib/http/browser-security.ts).
  const csp = contentSecurityPolicy(newNonce(), { dev });
  req.headers["content-security-policy"] = csp;
  for (const [name, value] of Object.entries(securityHeaders(csp, https))) res.setHeader(name, value);
  const refusal = refuseRequest(req);
  if (refusal) {
    res.writeHead(refusal.status, { "content-type": "text/plain; charset=utf-8", connection: "close" }).end(`${refusal.message}\n`);
    req.resume();
    return;
  }
  const peer = req.socket.remoteAddress ?? "";
  const claimed = req.headers["x-forwarded-for"];
  req.headers["x-forwarded-for"] = trustedHops > 0 && claimed ? `${Array.isArray(claimed) ? claimed.join(", ") : claimed}, ${peer}` : peer;
  // The page asked for, so the sign-in page can send the user back there (lib/auth/session.ts).
  req.headers["x-request-path"] = req.url ?? "/";
  void handle(req, res);
});
server.listen(port, hostname, () => console.log(`PANEL_READY http://localhost:${port}`));

// The registry's clock: expiries, grace periods, releases (REGISTRY_TICK_SECONDS; safe when
// several panel processes run it).
const scheduler = startRegistryScheduler((line) => console.log(line));

// WHOIS (RFC 3912) for the registry's names, when WHOIS_PORT is set (WHOIS_ADDRESS, default PANEL_ADDRESS).
const whoisPort = process.env.WHOIS_PORT?.trim();
if (whoisPort && !/^\d+$/.test(whoisPort)) throw new Error(`WHOIS_PORT must be a port number, not "${whoisPort}"`);
const whois = whoisPort ? await startWhoisServer({ port: Number(whoisPort), address: process.env.WHOIS_ADDRESS || hostname, log: (line) => console.log(line) }) : null;

// Ctrl-C / SIGTERM: stop accepting, let requests in flight finish, and drop idle keep-alive
// connections (a browser holds them open, which would keep close() waiting); a request that
// hangs does not hold the shutdown beyond a few seconds.
function stop() {
  scheduler.stop();
  void whois?.close();
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
