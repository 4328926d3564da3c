// What a new password must be. Browser-safe: the forms show the same rule as the server applies.
import { z } from "zod";

export const MIN_PASSWORD_LENGTH = 10;

export const newPasswordSchema = z
  .string({ error: "a password is required" })
  .min(MIN_PASSWORD_LENGTH, `use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(200, "use at most 200 characters");

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, "enter your current password"),
  newPassword: newPasswordSchema,
});
