// The nameserver's metrics, in Prometheus' text format, on their own HTTP port (METRICS_PORT,
// default 9153 as CoreDNS uses, on METRICS_ADDRESS, default 127.0.0.1): the one place where the
// nameserver's counters are exposed.
//
// The hot path never calls prom-client: it increments plain integer fields (QueryCounters'
// cells, AnswerCache, ResponseRateLimiter, TcpCounters), and each metric here reads its field
// when Prometheus scrapes (collect()). A scrape costs a few microseconds per zone asked; a query
// costs nothing more than the integer increments.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import type { AnswerCache } from "./answer-cache.ts";
import { NO_ZONE, type QueryCounters } from "./query-stats.ts";
import type { ResponseRateLimiter } from "./rrl.ts";
import type { TcpCounters } from "./transport.ts";
import type { ServedZones } from "./views.ts";

export interface MetricsSources {
  /** null when rate limiting is off (its counters then stay absent rather than read 0). */
  rrl: ResponseRateLimiter | null;
  tcp: TcpCounters;
  queries?: QueryCounters;
  /** Every view's answer cache (their hits and misses are summed). */
  caches?: AnswerCache[];
  zones?: ServedZones;
  /** Zones served behind their newest known serial (ZoneSync.serialLag). */
  serialLag?: () => { zones: number; oldestSeconds: number };
  /** Rollups waiting for the database (QueryStatsRollup). */
  rollup?: { pendingMinutes: number; droppedRows: number };
}

/** The zone label of queries outside every served zone (an empty label reads as no label in PromQL). */
export const NO_ZONE_LABEL = "_none";

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
  queryMetrics(registry, sources);
  return registry;
}

/** Queries, the answer cache, what is served and how far behind (issue 8's dashboard figures). */
function queryMetrics(registry: Registry, { queries, caches, zones, serialLag, rollup }: MetricsSources) {
  if (queries) {
    new Counter({
      name: "nameserver_queries_total",
      help: `Queries answered, by the served zone the answer came from ("${NO_ZONE_LABEL}": outside every served zone, or not looked up: parse errors, BADVERS, REFUSED class or transfer), query type (mnemonic; "other" beyond a fixed set), response code (mnemonic) and transport; counted before rate limiting`,
      labelNames: ["zone", "qtype", "rcode", "transport"] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const cell of queries.cells()) {
          const zone = cell.zone === NO_ZONE ? NO_ZONE_LABEL : cell.zone;
          if (cell.udp > 0) this.labels({ zone, qtype: cell.qtype, rcode: cell.rcode, transport: "udp" }).inc(cell.udp);
          if (cell.tcp > 0) this.labels({ zone, qtype: cell.qtype, rcode: cell.rcode, transport: "tcp" }).inc(cell.tcp);
        }
      },
    });
    counterOf(registry, "nameserver_queries_dropped_total", "Packets not answered at all: no readable header, or a response", () => queries.dropped);
  }
  if (caches) {
    counterOf(registry, "nameserver_answer_cache_hits_total", "Questions answered from the answer cache (every view)", () => caches.reduce((n, c) => n + c.hits, 0));
    counterOf(registry, "nameserver_answer_cache_misses_total", "Questions looked up and encoded: not cached, or cached from a zone that changed since", () => caches.reduce((n, c) => n + c.misses, 0));
    gaugeOf(registry, "nameserver_answer_cache_entries", "Answers held in the answer caches", () => caches.reduce((n, c) => n + c.size, 0));
    gaugeOf(registry, "nameserver_answer_cache_bytes", "Estimated heap bytes held by the answer caches (DNS_CACHE_BYTES bounds each view's)", () => caches.reduce((n, c) => n + c.bytes, 0));
  }
  if (zones) {
    gaugeOf(registry, "nameserver_zones", "Zones served", () => zones.size);
    gaugeOf(registry, "nameserver_records", "Records served, SOA records not included", () => {
      let records = 0;
      for (const id of zones.ids()) records += zones.byId(id)?.recordCount ?? 0;
      return records;
    });
  }
  if (serialLag) {
    gaugeOf(registry, "nameserver_serial_lag_zones", "Served zones whose newest known database serial is ahead of the one served", () => serialLag().zones);
    gaugeOf(registry, "nameserver_serial_lag_seconds", "How long the zone furthest behind (nameserver_serial_lag_zones) has been behind; 0 when none is", () => serialLag().oldestSeconds);
  }
  if (rollup) {
    gaugeOf(registry, "nameserver_query_stats_pending_minutes", "Minutes of query rollups not yet written to the database (it is away)", () => rollup.pendingMinutes);
    counterOf(registry, "nameserver_query_stats_dropped_rows_total", "Rollup rows given up while the database was away, the oldest first, to bound memory", () => rollup.droppedRows);
  }
}

/** A gauge whose value is read from `read()` at scrape time. */
function gaugeOf(registry: Registry, name: string, help: string, read: () => number) {
  new Gauge({
    name, help, registers: [registry],
    collect() {
      this.set(read());
    },
  });
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
