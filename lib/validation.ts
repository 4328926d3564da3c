// zod at the boundary: parse input or throw the ValidationError every caller knows how to show.
import type { z } from "zod";
import { ValidationError } from "./errors.ts";

export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, prefix: (string | number)[] = []): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((i) => ({ path: [...prefix, ...i.path.map((p) => (typeof p === "symbol" ? String(p) : p))], message: i.message })),
  );
}
