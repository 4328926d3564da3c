// Zone-file presentation format (RFC 1035 §5.1): tokens separated by spaces, character strings
// optionally in double quotes, "\X" escapes a character and "\DDD" is a decimal octet.
//
// Octet strings are held as "binary" JS strings, one char per octet (0-255), as the wire has
// them. Browser-safe: TextEncoder/TextDecoder, no Buffer.

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();
const ASCII = /^[\x00-\x7f]*$/;

/**
 * The same test as /\s/ (ECMAScript white space and line terminators), without a regular
 * expression per character for the ASCII ones: tokenize runs once per character of every record
 * of a zone import.
 */
function isSpace(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return /\s/.test(c);
}

/** Bytes of a UTF-8 string as a "binary" string (one char per octet). */
export function utf8ToBinary(text: string): string {
  // ASCII is its own UTF-8: skip the encoder (a zone import runs this for every TXT record).
  if (ASCII.test(text)) return text;
  let out = "";
  for (const byte of utf8Encoder.encode(text)) out += String.fromCharCode(byte);
  return out;
}

/** A "binary" string read back as UTF-8 (invalid sequences become U+FFFD). */
export function binaryToUtf8(binary: string): string {
  if (ASCII.test(binary)) return binary; // the common case, and the same result without the decoder
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return utf8Decoder.decode(bytes);
}

export class PresentationError extends Error {}

export interface Token {
  text: string;
  quoted: boolean;
}

/** Splits presentation text into tokens, decoding quotes and escapes. */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    if (isSpace(input[i])) {
      i++;
      continue;
    }
    const quoted = input[i] === '"';
    if (quoted) i++;
    const bytes: number[] = [];
    let closed = !quoted;
    while (i < input.length) {
      const c = input[i];
      if (quoted && c === '"') {
        i++;
        closed = true;
        break;
      }
      if (!quoted && isSpace(c)) break;
      if (c === "\\") {
        const digits = input.slice(i + 1, i + 4);
        if (/^\d{3}$/.test(digits)) {
          const value = Number(digits);
          if (value > 255) throw new PresentationError(`escape \\${digits} is not an octet`);
          bytes.push(value);
          i += 4;
          continue;
        }
        if (i + 1 >= input.length) throw new PresentationError("dangling backslash");
        bytes.push(...utf8Encoder.encode(input[i + 1]));
        i += 2;
        continue;
      }
      // ASCII is one octet as it is; anything else goes through the encoder, one UTF-16 unit at
      // a time as before (a lone surrogate half becomes U+FFFD's octets, unchanged behaviour).
      const code = c.charCodeAt(0);
      if (code < 0x80) bytes.push(code);
      else bytes.push(...utf8Encoder.encode(c));
      i++;
    }
    if (!closed) throw new PresentationError("unterminated quoted string");
    tokens.push({ text: String.fromCharCode(...bytes), quoted });
  }
  return tokens;
}

/**
 * One character-string in quotes, escaping what must be escaped. `binary` holds one byte per
 * char (latin1), as the wire does, so non-ASCII UTF-8 comes out as \DDD escapes like BIND prints.
 */
export function quoteCharacterString(binary: string): string {
  let out = '"';
  for (let i = 0; i < binary.length; i++) {
    const code = binary.charCodeAt(i);
    if (code === 0x22 || code === 0x5c) out += `\\${binary[i]}`;
    else if (code < 0x20 || code > 0x7e) out += `\\${String(code).padStart(3, "0")}`;
    else out += binary[i];
  }
  return `${out}"`;
}
