// One colour per series, the same on every chart: the response codes by meaning (green for
// answers, amber for names that do not exist, reds for refusals and failures), query types from
// a palette that tells neighbours apart (and keeps contrast in both colour schemes).
const RCODE_COLORS: Record<string, string> = {
  NOERROR: "#16a34a",
  NXDOMAIN: "#d97706",
  REFUSED: "#dc2626",
  SERVFAIL: "#9333ea",
  FORMERR: "#db2777",
  NOTIMP: "#0891b2",
};

const PALETTE = ["#2563eb", "#0891b2", "#7c3aed", "#059669", "#ea580c", "#ca8a04", "#db2777", "#4f46e5"];

export const OTHER_COLOR = "#94a3b8";

export function seriesColor(key: string, index: number, breakdown: "rcode" | "qtype"): string {
  if (key === "other") return OTHER_COLOR;
  if (breakdown === "rcode" && RCODE_COLORS[key]) return RCODE_COLORS[key];
  return PALETTE[index % PALETTE.length];
}
