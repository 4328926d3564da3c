// The nameserver's metrics, in Prometheus' text format, on their own HTTP port (METRICS_PORT,
// default 9153 as CoreDNS uses, on METRICS_ADDRESS, default 127.0.0.1): the one place where the
// nameserver's counters are exposed, so later ones (queries by zone, type, rcode...) go here too.
//
// The hot path never calls prom-client: it increments plain integer fields (ResponseRateLimiter,
// TcpCounters), and each metric here reads its field when Prometheus scrapes (collect()). A
// scrape costs a few microseconds; a query costs nothing more than the integer increment.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import type { ResponseRateLimiter } from "./rrl.ts";
import type { TcpCounters } from "./transport.ts";

export interface MetricsSources {
  /** null when rate limiting is off (its counters then stay absent rather than read 0). */
  rrl: ResponseRateLimiter | null;
  tcp: TcpCounters;
}

/** A counter whose value is read from `read()` at scrape time (the source only ever grows). */
function counterOf(registry: Registry, name: string, help: string, read: () => number) {
  new Counter({
    name, help, registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

/** The registry with every nameserver metric, plus Node's process metrics (RSS, CPU, event loop). */
export function nameserverRegistry(sources: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { rrl, tcp } = sources;
  if (rrl) {
    counterOf(registry, "nameserver_rrl_responses_limited_total", "UDP responses over their flow's rate (slipped + dropped)", () => rrl.limited);
    counterOf(registry, "nameserver_rrl_responses_slipped_total", "Rate-limited UDP responses sent truncated (TC=1) so the client retries over TCP", () => rrl.slipped);
    counterOf(registry, "nameserver_rrl_responses_dropped_total", "Rate-limited UDP responses not sent", () => rrl.dropped);
  }
  new Counter({
    name: "nameserver_tcp_connections_refused_total",
    help: "TCP connections closed on arrival: the client already had its share (per_client) or the server was full (total)",
    labelNames: ["reason"] as const,
    registers: [registry],
    collect() {
      this.reset();
      this.labels({ reason: "per_client" }).inc(tcp.refusedPerClient);
      this.labels({ reason: "total" }).inc(tcp.refusedTotal);
    },
  });
  counterOf(registry, "nameserver_tcp_connections_closed_slow_total", "TCP connections closed because a message did not arrive whole within DNS_TCP_MESSAGE_MS, or replies were not read within DNS_TCP_IDLE_MS", () => tcp.closedSlow);
  counterOf(registry, "nameserver_tcp_connections_closed_idle_total", "TCP connections closed after DNS_TCP_IDLE_MS without traffic", () => tcp.closedIdle);
  counterOf(registry, "nameserver_tcp_reads_paused_total", "Times a TCP connection stopped being read because its client was not reading the replies", () => tcp.pausedReads);
  counterOf(registry, "nameserver_tcp_connections_accepted_total", "TCP connections accepted", () => tcp.accepted);
  new Gauge({
    name: "nameserver_tcp_connections", help: "Open TCP connections", registers: [registry],
    collect() {
      this.set(tcp.open);
    },
  });
  return registry;
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` on address:port (0: a free port). Resolves null, after logging why, when
 * it cannot listen: metrics must never be the reason DNS is not served.
 */
export function startMetricsServer(
  registry: Registry, address: string, port: number, log: (msg: string) => void,
): Promise<MetricsServer | null> {
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found: try /metrics\n");
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
      (e: Error) => res.writeHead(500, { "content-type": "text/plain" }).end(`${e.message}\n`),
    );
  });
  // Scrapers keep connections alive; nothing here should hold the process open or pile up.
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  server.maxConnections = 64;
  return new Promise((resolve) => {
    server.once("error", (e: NodeJS.ErrnoException) => {
      log(`metrics: cannot listen on ${address}:${port} (${e.code ?? e.message}); serving DNS without metrics`);
      resolve(null);
    });
    server.listen({ host: address, port }, () => {
      server.removeAllListeners("error");
      server.on("error", (e) => log(`metrics: ${e.message}`));
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
      });
    });
  });
}
