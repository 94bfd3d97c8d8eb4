import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

// Node loads graphql's CommonJS build for Pothos and Yoga; Vite would pick its ESM build for our
// files, and graphql refuses types from "another module or realm". One copy for everyone.
const graphqlCjs = createRequire(import.meta.url).resolve("graphql");

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlCjs }] },
  test: {
    include: ["test/**/*.test.ts"],
    // Each file boots its own server and database; two cores, so keep parallelism modest.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 10_000,
  },
});
