// ESLint: typescript-eslint's type-checked rules, Next.js's rules and React's hook rules (issue 13, the mechanical guard).
import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  // Generated, built or run-time output; tools/prisma6 is its own package, outside tsconfig as well.
  globalIgnores(["lib/db/generated/", ".next/", "next-env.d.ts", "tools/", "data/", ".tmp/", "test-results/", "playwright-report/", "prisma/.postgres/"]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      // Scripts outside tsconfig (allowJs is off) are still checked with types; at most 8 files may use this default project.
      parserOptions: {
        projectService: { allowDefaultProject: ["server.mjs", "lib/server/*.mjs", "scripts/*.mjs", "bench/shared/*.mjs"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // What issue 13 asks for: a promise nobody awaits loses its error; a switch over a union handles every member.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      // A leading underscore is how this code names what it deliberately drops (`{ _job, ...labels }`).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      // `async () => undefined` stubs a Promise-returning interface; a forgotten await is no-floating-promises' job.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    // Tool configs are outside tsconfig and beyond the default project's few files: checked without types.
    files: ["*.config.{mjs,mts}", ".dependency-cruiser.cjs"],
    extends: [tseslint.configs.disableTypeChecked],
    // dependency-cruiser reads a CommonJS config, where require() is how modules load.
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Plain JavaScript has no types (JSON.parse gives `any`); tests read API responses as untyped JSON and assert on them,
    // so a wrong field fails the assertion already.
    files: ["**/*.mjs", "tests/**", "e2e/**", "**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    // Server components (page/layout/loading/not-found; their client halves are page-client.tsx) run once per request:
    // the React Compiler's purity rules (`Date.now()` in render) do not apply, and the build rejects hooks there.
    ignores: ["app/**/{page,layout,loading,not-found}.tsx"],
    extends: [reactHooks.configs.flat.recommended],
  },
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    extends: [nextPlugin.configs["core-web-vitals"]],
    languageOptions: { globals: { ...globals.browser } },
  },
);
