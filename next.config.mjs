/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WebAssembly database drivers load at run time from node_modules, not from the bundle.
  serverExternalPackages: ["@libsql/client", "libsql", "@prisma/adapter-libsql", "@prisma/adapter-pg", "pg", "@node-rs/argon2"],
  poweredByHeader: false,
};

export default nextConfig;
