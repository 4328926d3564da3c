// UDP through the native batching addon (nameserver/native/udp_batch.c): up to 64 queries per
// system call each way and one JavaScript call per batch. node:dgram costs a syscall and a JS
// callback per datagram, which on one core caps the server below the NSD-relative target
// (docs/decisions/004-batched-udp.md). The addon is built by `npm ci` (postinstall); when it
// is missing (no compiler) or DNS_UDP_IO=dgram, the transport falls back to node:dgram.
import { createRequire } from "node:module";
import path from "node:path";
import { PEER_WORDS } from "./rrl.ts";

/** Queries longer than this are dropped (4096 is the largest EDNS payload anyone sends). */
const IN_SLOT = 4096;
/** Our UDP replies never exceed OUR_UDP_PAYLOAD_SIZE (1232); leave room for header-only replies. */
const OUT_SLOT = 4096;

interface NativeSocket {
  handle: unknown;
  port: number;
  batch: number;
  /** 32-bit words per datagram in the peer buffer (absent: an addon built before peers existed). */
  peerWords?: number;
}

export interface NativeAddon {
  open(
    address: string, port: number, inData: Buffer, inLen: Buffer, outData: Buffer, outLen: Buffer,
    inSlot: number, outSlot: number, onBatch: (count: number) => void, peer: Buffer,
  ): NativeSocket;
  close(handle: unknown): void;
}

const ADDON_PATH = path.resolve(import.meta.dirname, "native/build/Release/udp_batch.node");

let addon: NativeAddon | null | undefined;

/** The addon, or null when it was not built here (the reason is in `batchedUdpUnavailable`). */
export function loadBatchedUdp(): NativeAddon | null {
  if (addon === undefined) {
    try {
      addon = createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
    } catch (e) {
      batchedUdpUnavailable = (e as Error).message.split("\n")[0];
      addon = null;
    }
  }
  return addon;
}

export let batchedUdpUnavailable = "";

export interface BatchedUdpSocket {
  port: number;
  close(): void;
}

/**
 * Binds address:port and answers every datagram with `answer(query, out, at, room, peer, peerAt)`,
 * which writes the reply at out[at..] (at most `room` bytes) and returns its length, 0 for no
 * reply. The client's address is peer[peerAt .. peerAt + PEER_WORDS): family (4 or 6) and the
 * address as four 32-bit words (nameserver/rrl.ts reads it; no string per datagram).
 * `beforeBatch` runs once per batch, before its first answer (the rate limiter reads the clock).
 * `answer` must not throw (the transport wraps it).
 */
export type AnswerInto = (query: Buffer, out: Buffer, at: number, room: number, peer: Uint32Array, peerAt: number) => number;

export function openBatchedUdp(
  native: NativeAddon, address: string, port: number, answer: AnswerInto, beforeBatch: (() => void) | null = null,
): BatchedUdpSocket {
  // Slow (non-pooled) buffers: each has its own ArrayBuffer, 4-byte aligned for the lengths.
  const batch = 64;
  const inData = Buffer.allocUnsafeSlow(batch * IN_SLOT);
  const inLenBytes = Buffer.allocUnsafeSlow(batch * 4);
  const outData = Buffer.allocUnsafeSlow(batch * OUT_SLOT);
  const outLenBytes = Buffer.allocUnsafeSlow(batch * 4);
  const inLen = new Uint32Array(inLenBytes.buffer, inLenBytes.byteOffset, batch);
  const outLen = new Uint32Array(outLenBytes.buffer, outLenBytes.byteOffset, batch);
  const peerBytes = Buffer.allocUnsafeSlow(batch * PEER_WORDS * 4).fill(0);
  const peer = new Uint32Array(peerBytes.buffer, peerBytes.byteOffset, batch * PEER_WORDS);
  // One view per slot, made once: a query is inSlots[i].subarray(0, length).
  const inSlots = Array.from({ length: batch }, (_, i) => inData.subarray(i * IN_SLOT, (i + 1) * IN_SLOT));

  const onBatch = (count: number) => {
    if (beforeBatch !== null) beforeBatch();
    for (let i = 0; i < count; i++) {
      const length = inLen[i];
      if (length === 0) continue; // truncated on arrival: larger than any real query
      outLen[i] = answer(inSlots[i].subarray(0, length), outData, i * OUT_SLOT, OUT_SLOT, peer, i * PEER_WORDS);
    }
  };
  const socket = native.open(address, port, inData, inLenBytes, outData, outLenBytes, IN_SLOT, OUT_SLOT, onBatch, peerBytes);
  if (socket.batch !== batch || socket.peerWords !== PEER_WORDS) {
    native.close(socket.handle);
    throw new Error(`udp_batch addon is not the one this code expects (batch ${socket.batch}, peer words ${socket.peerWords}): rebuild it (npm run build:native)`);
  }
  return { port: socket.port, close: () => native.close(socket.handle) };
}
