// A DNS-over-UDP client on one long-lived socket: cheap enough to poll a server every
// millisecond (a socket per query would cost more than the query). Replies are matched to
// queries by message id.
import dgram from "node:dgram";
import dnsPacket, { type Packet } from "dns-packet";

export type Reply = Packet & { flags: number; rcode: string };

export class UdpClient {
  private readonly socket = dgram.createSocket("udp4");
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private nextId = 1;
  private ready: Promise<void>;

  constructor(private readonly port: number, private readonly host = "127.0.0.1") {
    this.socket.on("message", (raw) => {
      if (raw.length < 2) return;
      const deliver = this.pending.get(raw.readUInt16BE(0));
      if (!deliver) return; // a late reply to a query we already gave up on
      this.pending.delete(raw.readUInt16BE(0));
      try {
        deliver(dnsPacket.decode(raw) as unknown as Reply);
      } catch {
        // Undecodable: treat like no reply (the caller times out).
      }
    });
    this.ready = new Promise((resolve) => this.socket.bind(0, "127.0.0.1", () => resolve()));
  }

  /** One query; resolves null after `timeoutMs` without a reply. No EDNS, RD off (like dnsperf). */
  async query(name: string, type: string, timeoutMs = 1000): Promise<Reply | null> {
    await this.ready;
    const id = this.nextId;
    this.nextId = (this.nextId % 65535) + 1;
    const message = dnsPacket.encode({ type: "query", id, flags: 0, questions: [{ name, type: type as "A", class: "IN" }] });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(null);
      }, timeoutMs);
      this.pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.socket.send(message, this.port, this.host);
    });
  }

  close() {
    this.socket.close();
  }
}

export function soaSerialOf(reply: Packet): number | undefined {
  const soa = [...(reply.answers ?? []), ...(reply.authorities ?? [])].find((a) => a.type === "SOA");
  return soa ? (soa.data as { serial: number }).serial : undefined;
}

/** Resolves true once the server answers `name` SOA (NOERROR); false after `timeoutMs`. */
export async function waitForSoa(client: UdpClient, name: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const reply = await client.query(name, "SOA", 200);
    if (reply && reply.rcode === "NOERROR" && soaSerialOf(reply) !== undefined) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
