// What the domains page's server actions do, given who asks.
import { z } from "zod";
import { addDomain, removeDomain } from "@/lib/domains.ts";
import type { Principal } from "@/lib/permissions.ts";
import { parseOrThrow } from "@/lib/validation.ts";
import { runAction } from "@/app/_lib/action-state.ts";
import { slugSchema } from "./schemas.ts";

export function hostDomain(principal: Principal, tenant: unknown, name: unknown) {
  return runAction(async () => {
    const { change } = await addDomain(principal, parseOrThrow(slugSchema, tenant), parseOrThrow(z.string().max(300), name, ["name"]));
    return { name: change.zoneName, serial: change.serial };
  });
}

export function deleteDomain(principal: Principal, tenant: unknown, name: unknown, confirmation: unknown) {
  return runAction(async () => {
    await removeDomain(principal, parseOrThrow(slugSchema, tenant), parseOrThrow(z.string().max(300), name), parseOrThrow(z.string().max(300), confirmation, ["confirmation"]));
    return true;
  });
}
