// IP address syntax, without node:net, so the same checks run in the browser's record form.

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Dotted-quad IPv4, no leading zeros (which some parsers read as octal). */
export function isIPv4(text: string): boolean {
  return IPV4.test(text);
}

/** RFC 4291 §2.2 text forms, including "::" compression and a trailing dotted IPv4. */
export function isIPv6(text: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.length > 45) return false;
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const groupsOf = (part: string) => (part === "" ? [] : part.split(":"));
  const groups = [...groupsOf(halves[0]), ...(halves.length === 2 ? groupsOf(halves[1]) : [])];
  let count = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (i === groups.length - 1 && g.includes(".")) {
      if (!isIPv4(g)) return false;
      count += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) count += 1;
    else return false;
  }
  return halves.length === 2 ? count < 8 : count === 8;
}

export function isIP(text: string): boolean {
  return isIPv4(text) || isIPv6(text);
}

/** The canonical text of an IPv6 address (RFC 5952: lowercase, longest zero run compressed). */
export function canonicalIPv6(text: string): string {
  // The WHATWG URL parser serialises IPv6 hosts exactly per RFC 5952 §4, in Node and browsers.
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

/** The eight 16-bit groups of an IPv6 address (for prefixes), or null when it is not one. */
export function ipv6Groups(text: string): number[] | null {
  if (!isIPv6(text)) return null;
  const canonical = canonicalIPv6(text); // no embedded dotted IPv4 left
  const [head, tail = ""] = canonical.split("::");
  const parse = (part: string) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = canonical.includes("::") ? parse(tail) : [];
  return [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
}
