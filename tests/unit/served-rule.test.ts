// The served rule's time: when a zone served only because of a hand-over stops being served.
// (Which zones servedZoneWhere(now) selects, at which times, is tested against a real database
// in tests/integration/registry.test.ts and tests/integration/nameserver-views.test.ts.)
import { describe, expect, it } from "vitest";
import { handoverEnds } from "../../lib/zone/served.ts";

const now = new Date("2026-11-26T12:00:00Z");
const later = new Date("2026-11-26T12:05:00Z");
const earlier = new Date("2026-11-26T11:55:00Z");

describe("handoverEnds", () => {
  it("switched away with the end ahead: served until hostedUntil", () => {
    expect(handoverEnds({ mode: "external", hostedUntil: later }, null, now)).toEqual(later);
    expect(handoverEnds({ mode: "none", hostedUntil: later }, "active", now)).toEqual(later);
    // Delegated to us, but the registration fell into redemption: the delegation is gone.
    expect(handoverEnds({ mode: "hosted", hostedUntil: later }, "redemption", now)).toEqual(later);
  });

  it("still (or again) delegated to us: no end, whatever hostedUntil says", () => {
    expect(handoverEnds({ mode: "hosted", hostedUntil: later }, null, now)).toBeNull();
    expect(handoverEnds({ mode: "hosted", hostedUntil: later }, "grace", now)).toBeNull();
    expect(handoverEnds({ mode: "hosted", hostedUntil: null }, null, now)).toBeNull();
  });

  it("no hand-over: none recorded, or it ended already (at hostedUntil exactly, too)", () => {
    expect(handoverEnds(null, null, now)).toBeNull();
    expect(handoverEnds({ mode: "external", hostedUntil: null }, null, now)).toBeNull();
    expect(handoverEnds({ mode: "external", hostedUntil: earlier }, null, now)).toBeNull();
    expect(handoverEnds({ mode: "external", hostedUntil: now }, null, now)).toBeNull();
  });
});
