import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * GraphQL Code Generator: typed documents for the operations in test/operations, generated from the
 * committed schema.graphql (printed from the Pothos schema by scripts/print-schema.ts).
 * `npm run codegen` does both; test/codegen.test.ts fails when test/generated is stale.
 */
export const GENERATED_DIR = "test/generated/graphql/";

const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["test/operations/**/*.graphql"],
  // Node ESM (NodeNext) needs extensions on relative imports.
  importExtension: ".js",
  generates: {
    [GENERATED_DIR]: {
      preset: "client",
      // Plain result types: fragments are inlined instead of masked behind `useFragment`.
      presetConfig: { fragmentMasking: false },
      config: {
        strictScalars: true,
        scalars: {
          DateTime: "string",
          File: { input: "File | Blob", output: "never" }, // input only (multipart uploads)
        },
        // Only the enums, inputs and scalars the operations use: schema additions elsewhere leave
        // the generated files alone.
        onlyOperationTypes: true,
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
