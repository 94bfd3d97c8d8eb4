import { readdir, readFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "@graphql-codegen/cli";
import { describe, expect, it } from "vitest";
import config, { GENERATED_DIR } from "../codegen.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const STALE = "test/generated is stale: run `npm run codegen` and commit the result";

describe("generated typed documents", () => {
  it("match test/operations and schema.graphql (run `npm run codegen` after changing either)", async () => {
    // Same config as `graphql-codegen --config codegen.ts`, generated in memory.
    const outputs: { filename: string; content: string }[] = await generate({ ...config, cwd: root, silent: true }, false);
    const expected = new Map(outputs.map((o) => [relative(root, resolve(root, o.filename)), o.content]));

    const dir = join(root, GENERATED_DIR);
    const committed = new Map<string, string>();
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      committed.set(relative(root, join(dir, name)), await readFile(join(dir, name), "utf8"));
    }

    // File names only: a content diff of generated code is long and says nothing useful.
    const stale = [...new Set([...expected.keys(), ...committed.keys()])]
      .filter((file) => committed.get(file) !== expected.get(file))
      .map((file) => (!committed.has(file) ? `${file} (missing)` : !expected.has(file) ? `${file} (no longer generated)` : file))
      .sort();
    expect(stale, STALE).toEqual([]);
  });
});
