// Input schemas of user administration, shared by the panel's forms, its server actions and the
// CLI. Browser-safe.
import { z } from "zod";
import { newPasswordSchema } from "../auth/password-policy.ts";

export const USERS_PAGE_SIZE = 50;
export const USER_SORT_FIELDS = ["email", "name", "lastSignIn", "created"] as const;
export type UserSortField = (typeof USER_SORT_FIELDS)[number];

/** What a user can do now: sign in (active), nothing (disabled), or not yet (invited, no password set). */
export const USER_STATUSES = ["active", "disabled", "invited"] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** The users table's state as it appears in the page URL; anything unexpected falls back to the default. */
export const usersQuerySchema = z.object({
  q: z.string().trim().max(200).catch(""),
  status: z.enum(["", ...USER_STATUSES]).catch(""),
  /** "yes": platform admins only, "no": everyone else. */
  admin: z.enum(["", "yes", "no"]).catch(""),
  sort: z.enum(USER_SORT_FIELDS).catch("email"),
  dir: z.enum(["asc", "desc"]).catch("asc"),
  page: z.coerce.number().int().min(1).catch(1), // past the last page: the last page
});
export type UsersQuery = z.infer<typeof usersQuerySchema>;

export const resetPasswordSchema = z.object({ password: newPasswordSchema });
