// dependency-cruiser: import cycles and the layer rules of issue 13 (`npm run deps`).
const { readdirSync, readFileSync } = require("node:fs");
const { join } = require("node:path");

// Which files are client components, and which are server-only, is read from their first lines, not from a naming convention.
function listSources(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .map((path) => ({ path, text: readFileSync(path, "utf8") }));
}
const sources = ["app", "components", "lib"].flatMap(listSources).filter(({ path }) => !path.startsWith("lib/db/generated/"));
const asPattern = ({ path }) => `^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;
const clientFiles = sources.filter(({ text }) => /^\s*["']use client["']/.test(text)).map(asPattern);
// A "use server" file reaches a client as references to its actions, so it may import server-only code.
const serverOnlyFiles = sources.filter(({ text }) => /^import "server-only";?$/m.test(text) && !/^\s*["']use server["']/.test(text)).map(asPattern);

// A domain's internals: in lib/<domain>/, a file whose name starts with `_` or anything under an `internal/` folder.
// Other code (other domains, app, components, entrypoints, tests) calls the domain's other, public files.
// Two patterns, not one `(?:.*/)?`: dependency-cruiser refuses regular expressions with nested repetition.
const domainInternals = ["^lib/[^/]+/(?:_[^/]*$|internal/)", "^lib/[^/]+/.*/(?:_[^/]*$|internal/)"];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A cycle makes load order matter and the modules inseparable; type-only imports count too, as they tie the modules the same way.",
      from: {},
      to: { circular: true },
    },
    {
      name: "components-not-to-app",
      severity: "error",
      comment: "components/ is the shared kit; route code lives in app/.",
      from: { path: "^components/" },
      to: { path: "^app/" },
    },
    {
      name: "route-widgets-stay-in-their-route",
      severity: "error",
      comment: "A route's _components serve that route; a widget two routes use belongs in components/.",
      // A route group such as (overview) is left out: its parentheses would read as a regular expression's.
      from: { path: "^app/\\(dashboard\\)/([a-z][^/]*)/" },
      to: { path: "^app/.*/_components/", pathNot: "^app/\\(dashboard\\)/$1/" },
    },
    {
      name: "lib-not-to-app-or-components",
      severity: "error",
      comment: "lib/ is the logic; it knows nothing of pages or widgets.",
      from: { path: "^lib/" },
      to: { path: "^(?:app|components)/" },
    },
    {
      name: "entrypoints-not-to-app",
      severity: "error",
      comment: "Background jobs, the gateway and the demo fleet call lib/, never app/.",
      from: { path: "^(?:collector|gateway|demo)/" },
      to: { path: "^app/" },
    },
    {
      name: "client-not-to-server-only",
      severity: "error",
      // Direct imports only: deeper chains go through server actions and type-only imports, which a reachability rule cannot
      // tell apart; `next build` rejects a client bundle that reaches server-only code, however deep.
      comment: 'A client component does not import a module marked `import "server-only"`; type-only imports are erased and allowed.',
      from: { path: clientFiles },
      to: { path: ["^node_modules/server-only/", ...serverOnlyFiles], dependencyTypesNot: ["type-only", "type-import", "pre-compilation-only"] },
    },
    {
      name: "domain-internals",
      severity: "error",
      comment: "Domains use each other's public functions; a domain's internals are its own.",
      from: { path: "^lib/([^/]+)/" },
      to: { path: domainInternals, pathNot: "^lib/$1/" },
    },
    {
      name: "domain-internals-outside-lib",
      severity: "error",
      comment: "Same rule for code outside lib/.",
      from: { pathNot: "^lib/[^/]+/" },
      to: { path: domainInternals },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(?:lib/db/generated|\\.next|tools|data|\\.tmp|test-results|playwright-report|prisma/\\.postgres)/" },
    tsConfig: { fileName: "tsconfig.json" },
    // "specify" keeps type-only imports (cycles and layers count them) and marks them, for the client rule to skip.
    tsPreCompilationDeps: "specify",
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".mts", ".js", ".mjs", ".cjs", ".json", ".d.ts"],
    },
    cache: { folder: ".tmp/depcruise-cache", strategy: "content" },
  },
};
