// Configuration read from the environment, in one place. See README "Configuration".
import { normalizeAbsoluteName } from "./dns/names.ts";

function list(value: string | undefined, fallback: string[]): string[] {
  const items = (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return items.length ? items : fallback;
}

function int(value: string | undefined, fallback: number): number {
  const n = value === undefined || value === "" ? NaN : Number(value);
  return Number.isInteger(n) ? n : fallback;
}

export interface HostingConfig {
  /** Our hosted nameservers: the apex NS records of every hosted zone. */
  nameservers: string[];
  /** The SOA RNAME, in mailbox-as-name form ("hostmaster.example.net"). */
  hostmaster: string;
  defaultTtl: number;
  maxRecordsPerZone: number;
}

export function hostingConfig(env: NodeJS.ProcessEnv = process.env): HostingConfig {
  const nameservers = list(env.NS_NAMES, ["ns1.example.net", "ns2.example.net"]).map((n) => normalizeAbsoluteName(n));
  return {
    nameservers,
    hostmaster: normalizeAbsoluteName(env.SOA_HOSTMASTER ?? `hostmaster.${nameservers[0].split(".").slice(1).join(".")}`),
    defaultTtl: int(env.DEFAULT_TTL, 3600),
    maxRecordsPerZone: int(env.MAX_RECORDS_PER_ZONE, 100_000),
  };
}

/** The panel's public base URL, for links we hand out (invitations). */
export function panelUrl(pathname: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = (env.NEXTAUTH_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, "");
  return `${base}${pathname}`;
}
