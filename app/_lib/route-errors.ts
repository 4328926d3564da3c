// Route handlers map lib errors to HTTP the same way everywhere: another tenant's resource is
// 404 like a missing one; a known resource the role may not touch is 403.
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors.ts";

export function errorResponse(e: unknown): Response {
  if (e instanceof NotFoundError) return Response.json({ error: "not found" }, { status: 404 });
  if (e instanceof ForbiddenError) return Response.json({ error: e.message }, { status: 403 });
  if (e instanceof ValidationError) return Response.json({ error: e.message, issues: e.issues }, { status: 422 });
  if (e instanceof ConflictError) return Response.json({ error: e.message }, { status: 409 });
  console.error("[panel] route failed:", e);
  return Response.json({ error: "internal error" }, { status: 500 });
}

export const unauthenticated = () => Response.json({ error: "sign in first" }, { status: 401 });
