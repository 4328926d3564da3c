// The shapes of server action arguments. Server actions can be called with any serialisable
// value, not only what our forms send, so every argument is parsed before it reaches lib/.
import { z } from "zod";

export const idSchema = z.string().min(1).max(100);
export const slugSchema = z.string().min(1).max(100);
export const domainRefSchema = z.object({ tenant: slugSchema, domain: z.string().min(1).max(300) });
export const tokenSchema = z.string().min(1).max(200);
