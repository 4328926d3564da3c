// What the domain page's server actions do, given who asks: parse the arguments, call one lib
// operation (which checks permissions and writes through the write path), map the outcome.
import { z } from "zod";
import type { Principal } from "@/lib/permissions.ts";
import { addRecord, deleteRecords, updateRecord } from "@/lib/zone/record-edits.ts";
import { parseOrThrow } from "@/lib/validation.ts";
import { runAction } from "@/app/_lib/action-state.ts";
import { domainRefSchema, idSchema } from "./schemas.ts";

const saveSchema = z.object({
  target: z.object({ id: idSchema, version: z.number().int() }).optional(),
  record: z.object({ name: z.string().max(300), type: z.string().max(10), ttl: z.string().max(20), fields: z.record(z.string(), z.string().max(5000)) }),
});
const deleteSchema = z.array(z.object({ id: idSchema, version: z.number().int() })).max(1000);

// The write path reports issues under the change set's path; the form knows only field names.
const RECORD_ISSUE_PREFIXES = [["add", 0], ["update", 0, "record"], ["update", 0], ["remove"]];

export function saveRecord(principal: Principal, ref: unknown, input: unknown) {
  return runAction(
    async () => {
      const where = parseOrThrow(domainRefSchema, ref);
      const { target, record } = parseOrThrow(saveSchema, input);
      return target ? updateRecord(principal, where, target, record) : addRecord(principal, where, record);
    },
    { issuePrefixes: RECORD_ISSUE_PREFIXES },
  );
}

export function removeRecords(principal: Principal, ref: unknown, targets: unknown) {
  return runAction(async () => deleteRecords(principal, parseOrThrow(domainRefSchema, ref), parseOrThrow(deleteSchema, targets)));
}
