// CLI: user disable, user enable, user reset, user platform-admin (platform administration).
// The operator acts as "cli" through the same lib/users functions as /admin/users, under the
// same rules (the last platform admin stays); they are also the way back in when no platform
// admin can sign in any more (`user enable`, `user reset`, `user platform-admin ... on`).
import {
  createPasswordResetAsOperator,
  disableUserAsOperator,
  enableUserAsOperator,
  setPlatformAdminAsOperator,
} from "../users/users.ts";
import { CLI_ACTOR, UsageError, type CommandSet } from "./args.ts";

function oneEmail(args: string[], usage: string): string {
  if (args.length !== 1 || args[0].startsWith("--")) throw new UsageError(usage);
  return args[0];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export const userCommands: CommandSet = {
  usage: [
    "user disable|enable <email>                 disabling ends every session of the user at once",
    "user reset <email>                          prints a one-time link to set a new password",
    "user platform-admin <email> on|off",
  ],
  commands: {
    "user disable": async (args) => {
      const done = await disableUserAsOperator(CLI_ACTOR, oneEmail(args, "user disable <email>"));
      return done.changed ? `disabled ${done.email}; ${plural(done.sessionsEnded, "session")} ended` : `${done.email} was already disabled`;
    },
    "user enable": async (args) => {
      const done = await enableUserAsOperator(CLI_ACTOR, oneEmail(args, "user enable <email>"));
      return done.changed ? `enabled ${done.email}` : `${done.email} was not disabled`;
    },
    "user reset": async (args) => {
      const link = await createPasswordResetAsOperator(CLI_ACTOR, oneEmail(args, "user reset <email>"));
      return [
        `password reset link for ${link.email} (one use, until ${link.expiresAt.toISOString()}):`,
        link.url,
        ...(link.disabled ? [`${link.email} is disabled: after setting a password they can sign in once enabled (user enable ${link.email})`] : []),
      ].join("\n");
    },
    "user platform-admin": async (args) => {
      const [email, state] = args;
      if (args.length !== 2 || (state !== "on" && state !== "off")) throw new UsageError("user platform-admin <email> on|off");
      const done = await setPlatformAdminAsOperator(CLI_ACTOR, email, state === "on");
      if (state === "on") return done.changed ? `${done.email} is now a platform admin` : `${done.email} already was a platform admin`;
      return done.changed ? `${done.email} is no longer a platform admin` : `${done.email} was not a platform admin`;
    },
  },
};
