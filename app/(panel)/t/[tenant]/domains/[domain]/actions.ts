"use server";
// The domain page's server actions: who asks, then app/_handlers/records.ts.
import { revalidatePath } from "next/cache";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { removeRecords, saveRecord } from "@/app/_handlers/records.ts";

const refresh = (ref: unknown) => {
  const { tenant, domain } = ref as { tenant: string; domain: string };
  revalidatePath(`/t/${tenant}/domains/${domain}`);
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
