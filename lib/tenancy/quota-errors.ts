// The refusals of a tenant's quotas (lib/tenancy/quotas.ts). Both are ForbiddenErrors: every
// caller already shows a ForbiddenError's message as it is (the panel's forms through
// app/_lib/action-state.ts, HTTP 403 through app/_lib/route-errors.ts, one line from the CLI),
// and like a suspension they refuse a request that is valid in itself. The subclasses let a
// caller do more: an API answers a RateLimitedError with 429 and Retry-After.
import { ForbiddenError } from "../errors.ts";
import type { QuotaName } from "./quota-schemas.ts";

/** The change would take the tenant over one of its quotas; nothing was written. */
export class QuotaExceededError extends ForbiddenError {
  constructor(
    message: string,
    readonly quota: QuotaName,
    readonly limit: number,
    readonly used: number,
  ) {
    super(message);
    this.name = "QuotaExceededError";
  }
}

/** The tenant made as many change sets as it may in the last minute; nothing was written. */
export class RateLimitedError extends ForbiddenError {
  constructor(
    message: string,
    readonly limit: number,
    readonly used: number,
    /** When the oldest change set counted leaves the window: a retry then is accepted. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = "RateLimitedError";
  }
}
