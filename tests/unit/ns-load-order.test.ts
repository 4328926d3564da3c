// Overlapping loads of a zone apply in the order they read the database, whatever order they
// finish in, and whatever the serials say (a restored database may go back in serials).
import { describe, expect, it } from "vitest";
import { LoadOrder } from "../../nameserver/load-order.ts";

describe("LoadOrder", () => {
  it("drops a result read before one already applied (a slow resync after a fast reload)", () => {
    const order = new LoadOrder();
    const resync = order.ticket(); // resync reads first...
    const reload = order.ticket(); // ...a NOTIFY-driven reload reads after it
    expect(order.admit("z", reload)).toBe(true); // the reload finishes first
    expect(order.admit("z", resync)).toBe(false); // the resync's older rows are dropped
  });

  it("applies results in read order when they finish in read order, per zone", () => {
    const order = new LoadOrder();
    const a = order.ticket();
    const b = order.ticket();
    expect(order.admit("z", a)).toBe(true);
    expect(order.admit("z", b)).toBe(true);
    expect(order.admit("other", a)).toBe(true); // another zone has its own history
  });

  it("one batch ticket covers many zones", () => {
    const order = new LoadOrder();
    const batch = order.ticket();
    expect(["a", "b", "c"].map((id) => order.admit(id, batch))).toEqual([true, true, true]);
  });
});
