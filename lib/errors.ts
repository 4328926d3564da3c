// Errors that cross the boundary between lib/ and its callers (panel, API, CLI). Each caller
// maps them to its own form: field errors in a form, a 4xx JSON body, one line on stderr.

export interface FieldIssue {
  /** Where the problem is, e.g. ["add", 0, "address"]; empty for the change set as a whole. */
  path: (string | number)[];
  message: string;
}

/** The input is wrong; nothing was written. */
export class ValidationError extends Error {
  constructor(public readonly issues: FieldIssue[]) {
    super(issues.map(formatIssue).join("; "));
    this.name = "ValidationError";
  }
}

/** The thing does not exist, or belongs to another tenant (we never say which). */
export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} not found`);
    this.name = "NotFoundError";
  }
}

/** Someone else changed the data since the caller read it; nothing was written. */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConflictError";
  }
}

/** The actor may not do this (only raised where the resource's existence is already known). */
export class ForbiddenError extends Error {
  constructor(message = "you do not have permission to do this") {
    super(message);
    this.name = "ForbiddenError";
  }
}

/** The form field an issue belongs to: its path's names, e.g. ["add", 0, "address"] -> "add.address". */
export function issueFieldKey(path: FieldIssue["path"]): string {
  return path.filter((p) => typeof p === "string").join(".");
}

export function formatIssue(issue: FieldIssue): string {
  const where = issue.path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join("");
  return where ? `${where}: ${issue.message}` : issue.message;
}
