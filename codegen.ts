import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { printSchemaSdl } from "./src/schema/index.js";

/** Prints the Pothos schema to the committed schema.graphql that front ends generate from. */
const target = fileURLToPath(new URL("./schema.graphql", import.meta.url));
await writeFile(target, printSchemaSdl());
process.stdout.write(`wrote ${target}\n`);
