// Pages call lib/ (which checks permissions) through this: "not found" from lib becomes the
// 404 page, so another tenant's resources look exactly like ones that do not exist.
import { notFound } from "next/navigation";
import { NotFoundError } from "@/lib/errors.ts";

export async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
}
