import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { printSchemaSdl } from "../src/schema/index.js";

/**
 * Prints the Pothos schema to the committed schema.graphql that front ends (and `graphql-codegen`,
 * see codegen.ts) generate from. `--check` only compares, and exits 1 when the file is stale.
 */
const target = fileURLToPath(new URL("../schema.graphql", import.meta.url));
const sdl = printSchemaSdl();

if (process.argv.includes("--check")) {
  const committed = await readFile(target, "utf8").catch(() => "");
  if (committed !== sdl) {
    process.stderr.write(`${target} is stale: run \`npm run codegen\`\n`);
    process.exit(1);
  }
  process.stdout.write(`${target} is up to date\n`);
} else {
  await writeFile(target, sdl);
  process.stdout.write(`wrote ${target}\n`);
}
