/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WebAssembly database drivers load at run time from node_modules, not from the bundle;
  // so does etcd3, which reads its gRPC .proto files from its own directory.
  serverExternalPackages: [
    "@libsql/client",
    "libsql",
    "@prisma/adapter-libsql",
    "@prisma/adapter-pg",
    "pg",
    "@node-rs/argon2",
    "etcd3",
    "node-zookeeper-client",
  ],
  poweredByHeader: false,
  // Types are checked once, by scripts/check.sh (npm test's guard: tsc over the app, its tests and scripts), not again
  // by every build: that saves `npm start` and `npm test` about 20 s each.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
