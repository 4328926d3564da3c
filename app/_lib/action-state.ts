// What a server action returns to its form: the result, or errors to show next to the fields
// (field errors keyed by the field's path, e.g. "address" or "priority") and above the form.
import { unstable_rethrow } from "next/navigation";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, formatIssue, issueFieldKey, type FieldIssue } from "@/lib/errors.ts";
import { SignInError } from "@/lib/auth/sign-in.ts";

/** Why an action was refused: bad input, someone else's change, the role, or "no such thing". */
export type ActionErrorKind = "invalid" | "conflict" | "forbidden" | "not-found" | "internal";

export type ActionState<T> =
  | { ok: true; result: T }
  | { ok: false; kind: ActionErrorKind; message: string; fieldErrors: Record<string, string>; conflict?: boolean };

/**
 * Maps field issues to form keys: `prefixes` are stripped from issue paths (the write path
 * reports ["add", 0, "address"] for the form's "address"); issues with no field left go into
 * the message above the form.
 */
function fieldErrorsOf(issues: FieldIssue[], prefixes: (string | number)[][]): { fieldErrors: Record<string, string>; general: string[] } {
  const fieldErrors: Record<string, string> = {};
  const general: string[] = [];
  for (const issue of issues) {
    let path = issue.path;
    for (const prefix of prefixes) {
      if (prefix.every((p, i) => path[i] === p)) {
        path = path.slice(prefix.length);
        break;
      }
    }
    const key = issueFieldKey(path);
    if (key && !(key in fieldErrors)) fieldErrors[key] = issue.message;
    else if (!key) general.push(issue.message);
  }
  return { fieldErrors, general };
}

export async function runAction<T>(work: () => Promise<T>, opts: { issuePrefixes?: (string | number)[][] } = {}): Promise<ActionState<T>> {
  try {
    return { ok: true, result: await work() };
  } catch (e) {
    unstable_rethrow(e); // redirect() and notFound() are exceptions Next must see
    if (e instanceof ValidationError) {
      const { fieldErrors, general } = fieldErrorsOf(e.issues, opts.issuePrefixes ?? []);
      const message = general.length ? general.join("; ") : "Please correct the highlighted fields.";
      return { ok: false, kind: "invalid", message, fieldErrors };
    }
    if (e instanceof ConflictError) return { ok: false, kind: "conflict", message: e.message, fieldErrors: {}, conflict: true };
    if (e instanceof ForbiddenError || e instanceof SignInError) return { ok: false, kind: "forbidden", message: capitalize(e.message), fieldErrors: {} };
    if (e instanceof NotFoundError) return { ok: false, kind: "not-found", message: "Not found (it may have been deleted).", fieldErrors: {} };
    console.error("[panel] action failed:", e);
    return { ok: false, kind: "internal", message: "Something went wrong on our side; nothing was changed. Try again.", fieldErrors: {} };
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export { formatIssue };
