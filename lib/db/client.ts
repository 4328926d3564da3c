// The one Prisma client of a process, for the database in DATABASE_URL.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "../generated/prisma/client.ts";

export type Db = PrismaClient;
/** The client or an open transaction: what read-and-check helpers accept. */
export type DbClient = PrismaClient | Prisma.TransactionClient;

const globalForDb = globalThis as unknown as { __db?: PrismaClient };

export function createDb(url: string, poolSize = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: poolSize }) });
}

/** The shared client (created on first use; Next's dev reloads keep it on globalThis). */
export function db(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (npm start sets it for the embedded database)");
  globalForDb.__db ??= createDb(url);
  return globalForDb.__db;
}
