"use server";
// The domain pages' server actions: who asks, then app/_handlers/records.ts or registrar.ts.
import { revalidatePath } from "next/cache";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { removeRecords, saveRecord } from "@/app/_handlers/records.ts";
import {
  checkDelegationNow, newAuthCode, preflight, removeHost, renew, restore, setHostAddresses, setNameservers, showAuthCode, toggleAutoRenew, toggleTransferLock,
} from "@/app/_handlers/registrar.ts";

const refresh = (ref: unknown) => {
  const { tenant, domain } = ref as { tenant: string; domain: string };
  revalidatePath(`/t/${tenant}/domains/${domain}`, "layout");
};

export async function saveRecordAction(ref: unknown, input: unknown) {
  const state = await saveRecord(await requirePrincipal(), ref, input);
  if (state.ok) refresh(ref);
  return state;
}

export async function deleteRecordsAction(ref: unknown, targets: unknown) {
  const state = await removeRecords(await requirePrincipal(), ref, targets);
  if (state.ok) refresh(ref);
  return state;
}

export async function renewAction(ref: unknown, years: unknown) {
  const state = await renew(await requirePrincipal(), ref, years);
  if (state.ok) refresh(ref);
  return state;
}

export async function restoreAction(ref: unknown, years: unknown) {
  const state = await restore(await requirePrincipal(), ref, years);
  if (state.ok) refresh(ref);
  return state;
}

export async function setAutoRenewAction(ref: unknown, on: unknown) {
  const state = await toggleAutoRenew(await requirePrincipal(), ref, on);
  if (state.ok) refresh(ref);
  return state;
}

export async function setTransferLockAction(ref: unknown, locked: unknown) {
  const state = await toggleTransferLock(await requirePrincipal(), ref, locked);
  if (state.ok) refresh(ref);
  return state;
}

export async function revealAuthCodeAction(ref: unknown) {
  return showAuthCode(await requirePrincipal(), ref);
}

export async function regenerateAuthCodeAction(ref: unknown) {
  return newAuthCode(await requirePrincipal(), ref);
}

export async function preflightAction(ref: unknown, hosts: unknown) {
  return preflight(await requirePrincipal(), ref, hosts);
}

export async function setNameserversAction(ref: unknown, choice: unknown, force: unknown) {
  const state = await setNameservers(await requirePrincipal(), ref, choice, force);
  if (state.ok && state.result.switched) refresh(ref);
  return state;
}

export async function setHostAddressesAction(ref: unknown, host: unknown, addresses: unknown) {
  const state = await setHostAddresses(await requirePrincipal(), ref, host, addresses);
  if (state.ok) refresh(ref);
  return state;
}

export async function deleteHostAction(ref: unknown, host: unknown) {
  const state = await removeHost(await requirePrincipal(), ref, host);
  if (state.ok) refresh(ref);
  return state;
}

export async function checkDelegationAction(ref: unknown) {
  const state = await checkDelegationNow(await requirePrincipal(), ref);
  if (state.ok) refresh(ref);
  return state;
}
