"use client";
// Times in the browser's time zone once the page runs there; UTC in the server's render and the
// browser's first one (so hydration finds the same text), see format.ts.
import { useEffect, useState } from "react";
import type { TimeZoneChoice } from "./format.ts";

export function useLocalTime(): TimeZoneChoice {
  const [zone, setZone] = useState<TimeZoneChoice>("utc");
  useEffect(() => setZone("local"), []);
  return zone;
}
