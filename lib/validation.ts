// zod at the boundary: parse input or throw the ValidationError every caller knows how to show.
// Browser-safe (the record form uses zodIssues too).
import type { z } from "zod";
import { ValidationError, type FieldIssue } from "./errors.ts";

/** zod's issues as our FieldIssues, their paths under `prefix`. */
export function zodIssues(error: z.ZodError, prefix: (string | number)[] = []): FieldIssue[] {
  return error.issues.map((i) => ({ path: [...prefix, ...i.path.map((p) => (typeof p === "symbol" ? String(p) : p))], message: i.message }));
}

export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, prefix: (string | number)[] = []): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(zodIssues(result.error, prefix));
}

/**
 * A URL search parameter's value as one value: Next gives `?a=1&a=2` as an array; forms and
 * links here put each parameter once, so the first one is the one meant.
 */
export function firstValue<T>(value: T | T[]): T | undefined {
  return Array.isArray(value) ? value[0] : value;
}
