"use server";
// Server actions of the domain page: thin edges over lib/zone/record-edits.ts, which checks
// permissions and goes through the write path.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requirePrincipal } from "@/lib/auth/session.ts";
import { addRecord, deleteRecords, updateRecord } from "@/lib/zone/record-edits.ts";
import type { DomainRef } from "@/lib/zone/records-table.ts";
import { parseOrThrow } from "@/lib/validation.ts";
import { runAction } from "@/app/_lib/action-state.ts";

const refSchema = z.object({ tenant: z.string().max(100), domain: z.string().max(300) });
const saveSchema = z.object({
  target: z.object({ id: z.string().max(100), version: z.number().int() }).optional(),
  record: z.object({ name: z.string().max(300), type: z.string().max(10), ttl: z.string().max(20), fields: z.record(z.string(), z.string().max(5000)) }),
});
const deleteSchema = z.array(z.object({ id: z.string().max(100), version: z.number().int() })).max(1000);

// The write path reports issues under the change set's path; the form knows only field names.
const RECORD_ISSUE_PREFIXES = [["add", 0], ["update", 0, "record"], ["update", 0], ["remove"]];

export async function saveRecordAction(ref: DomainRef, input: unknown) {
  return runAction(
    async () => {
      const principal = await requirePrincipal();
      const where = parseOrThrow(refSchema, ref);
      const { target, record } = parseOrThrow(saveSchema, input);
      const change = target ? await updateRecord(principal, where, target, record) : await addRecord(principal, where, record);
      revalidatePath(`/t/${where.tenant}/domains/${where.domain}`);
      return change;
    },
    { issuePrefixes: RECORD_ISSUE_PREFIXES },
  );
}

export async function deleteRecordsAction(ref: DomainRef, targets: unknown) {
  return runAction(async () => {
    const principal = await requirePrincipal();
    const where = parseOrThrow(refSchema, ref);
    const change = await deleteRecords(principal, where, parseOrThrow(deleteSchema, targets));
    revalidatePath(`/t/${where.tenant}/domains/${where.domain}`);
    return change;
  });
}
