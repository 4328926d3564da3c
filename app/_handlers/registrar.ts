// What the registrar's server actions do, given who asks: parse every argument, call one lib
// operation (which checks permissions), map the outcome for the form.
import { z } from "zod";
import type { Principal } from "@/lib/permissions.ts";
import {
  changeNameservers, deleteHost, preflightNameserversFor, regenerateAuthCode, registerDomain, renewDomain, restoreDomain, revealAuthCode,
  searchName, setAutoRenew, setTransferLock, updateHostAddresses, PreflightError,
} from "@/lib/registrar/domains.ts";
import { runDelegationCheck } from "@/lib/registrar/overview.ts";
import { addressesSchema, domainNameInputSchema, hostInputSchema, nameserverChoiceSchema, yearsSchema } from "@/lib/registrar/schemas.ts";
import { parseOrThrow } from "@/lib/validation.ts";
import { runAction } from "@/app/_lib/action-state.ts";
import { domainRefSchema, slugSchema } from "./schemas.ts";

export function checkDomainName(principal: Principal, tenant: unknown, name: unknown) {
  return runAction(() => searchName(principal, parseOrThrow(slugSchema, tenant), parseOrThrow(domainNameInputSchema, name, ["name"])));
}

export function registerNewDomain(principal: Principal, tenant: unknown, name: unknown, years: unknown) {
  return runAction(async () => {
    const result = await registerDomain(principal, parseOrThrow(slugSchema, tenant), parseOrThrow(domainNameInputSchema, name, ["name"]), parseOrThrow(yearsSchema, years, ["years"]));
    return { name: result.info.name, expiresAt: result.info.expiresAt.toISOString() };
  });
}

/** The registration as the overview's controls show it after a change. */
const summary = (r: { info: { expiresAt: Date; autoRenew: boolean; transferLock: boolean; status: string } }) => ({
  expiresAt: r.info.expiresAt.toISOString(),
  autoRenew: r.info.autoRenew,
  transferLock: r.info.transferLock,
  status: r.info.status,
});

export function renew(principal: Principal, ref: unknown, years: unknown) {
  return runAction(async () => summary(await renewDomain(principal, parseOrThrow(domainRefSchema, ref), parseOrThrow(yearsSchema, years, ["years"]))));
}

export function restore(principal: Principal, ref: unknown, years: unknown) {
  return runAction(async () => summary(await restoreDomain(principal, parseOrThrow(domainRefSchema, ref), parseOrThrow(yearsSchema, years, ["years"]))));
}

export function toggleAutoRenew(principal: Principal, ref: unknown, on: unknown) {
  return runAction(async () => summary(await setAutoRenew(principal, parseOrThrow(domainRefSchema, ref), parseOrThrow(z.boolean(), on))));
}

export function toggleTransferLock(principal: Principal, ref: unknown, locked: unknown) {
  return runAction(async () => summary(await setTransferLock(principal, parseOrThrow(domainRefSchema, ref), parseOrThrow(z.boolean(), locked))));
}

export function showAuthCode(principal: Principal, ref: unknown) {
  return runAction(() => revealAuthCode(principal, parseOrThrow(domainRefSchema, ref)));
}

export function newAuthCode(principal: Principal, ref: unknown) {
  return runAction(() => regenerateAuthCode(principal, parseOrThrow(domainRefSchema, ref)));
}

export function preflight(principal: Principal, ref: unknown, hosts: unknown) {
  return runAction(() => preflightNameserversFor(principal, parseOrThrow(domainRefSchema, ref), parseOrThrow(z.array(hostInputSchema).max(20), hosts, ["nameservers"])));
}

/** Switches nameservers; a failed pre-flight comes back as its result, for "switch anyway". */
export function setNameservers(principal: Principal, ref: unknown, choice: unknown, force: unknown) {
  return runAction(async () => {
    try {
      const done = await changeNameservers(principal, parseOrThrow(domainRefSchema, ref), parseOrThrow(nameserverChoiceSchema, choice), parseOrThrow(z.boolean(), force));
      // The change of the domain's own parent zone (a host's glue may have changed in another TLD too).
      const changes = done.result.parentChanges;
      const own = changes.find((c) => c.zone === done.result.info.tld);
      return {
        switched: true as const,
        mode: done.result.info.mode,
        nameservers: done.result.info.nameservers.map((n) => n.name),
        serial: own?.serial ?? null,
        // Visible everywhere once the longest-cached of the old data has expired.
        cacheSeconds: Math.max(0, ...changes.map((c) => c.cacheSeconds)),
        zoneCreated: done.zoneCreated,
        preflight: done.preflight,
      };
    } catch (e) {
      if (e instanceof PreflightError) return { switched: false as const, preflight: e.preflight };
      throw e;
    }
  }, { issuePrefixes: [["choice"]] });
}

export function setHostAddresses(principal: Principal, ref: unknown, host: unknown, addresses: unknown) {
  return runAction(async () => {
    const { host: info } = await updateHostAddresses(principal, parseOrThrow(domainRefSchema, ref), parseOrThrow(domainNameInputSchema, host, ["host"]), parseOrThrow(addressesSchema, addresses, ["addresses"]));
    return info;
  });
}

export function removeHost(principal: Principal, ref: unknown, host: unknown) {
  return runAction(async () => {
    await deleteHost(principal, parseOrThrow(domainRefSchema, ref), parseOrThrow(domainNameInputSchema, host, ["host"]));
    return true;
  });
}

export function checkDelegationNow(principal: Principal, ref: unknown) {
  return runAction(() => runDelegationCheck(principal, parseOrThrow(domainRefSchema, ref)));
}
