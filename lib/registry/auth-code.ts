// Auth codes (transfer passwords, RFC 5731 §2.6 authInfo). Stored encrypted, not hashed, because
// owners must be able to read theirs back to move the domain to another registrar; every read is
// audited by the caller. AES-256-GCM with a key kept outside the database (AUTH_CODE_KEY, or one
// generated once into DATA_DIR/auth-code-key, which `npm start` reads and hands to the panel and
// the nameserver as AUTH_CODE_KEY), so a copy of the database alone reveals nothing.
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

// No look-alikes (0/O, 1/l/I) so it survives being read out or copied by hand.
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
const SYMBOLS = "-+=!?#";
export const AUTH_CODE_LENGTH = 16;

/** A fresh auth code: 16 characters with letters, digits and a symbol, as registries ask. */
export function generateAuthCode(): string {
  const chars = Array.from({ length: AUTH_CODE_LENGTH - 2 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  chars.splice(randomInt(chars.length + 1), 0, String(randomInt(2, 10)));
  chars.splice(randomInt(chars.length + 1), 0, SYMBOLS[randomInt(SYMBOLS.length)]);
  return chars.join("");
}

let cachedKey: { source: string; key: Buffer } | null = null;

/** DATA_DIR/auth-code-key: the key generated on first use when AUTH_CODE_KEY is not set. */
export function readOrCreateAuthCodeKeyFile(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): string {
  const dir = path.resolve(root, env.DATA_DIR ?? ".data");
  const file = path.join(dir, "auth-code-key");
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // "wx": two processes starting at once must not both write a different key.
    try {
      writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  return readFileSync(file, "utf8").trim();
}

/** The 32-byte key: AUTH_CODE_KEY (any text, hashed to 32 bytes), else the generated key file. */
export function authCodeKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  const source = env.AUTH_CODE_KEY || readOrCreateAuthCodeKeyFile(env);
  if (cachedKey?.source !== source) cachedKey = { source, key: createHash("sha256").update(source).digest() };
  return cachedKey.key;
}

/** "v1:<iv>:<tag>:<ciphertext>", base64url. */
export function encryptAuthCode(code: string, key: Buffer = authCodeKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(code, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), body].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(":");
}

export class AuthCodeUnreadableError extends Error {
  constructor() {
    super("the stored auth code cannot be decrypted with this installation's key (AUTH_CODE_KEY changed?): generate a new one");
    this.name = "AuthCodeUnreadableError";
  }
}

export function decryptAuthCode(stored: string, key: Buffer = authCodeKey()): string {
  const [version, iv, tag, body] = stored.split(":");
  if (version !== "v1" || !iv || !tag || body === undefined) throw new AuthCodeUnreadableError();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new AuthCodeUnreadableError();
  }
}
