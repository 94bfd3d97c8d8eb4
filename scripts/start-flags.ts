import { readFileSync } from "node:fs";

/**
 * The Node and V8 flags `npm start` gives the server (README, "Garbage collection flags"), read
 * from package.json so that the upload benchmark and the process tests start the server exactly
 * as it is deployed.
 */
export function startNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    scripts: { start: string };
  };
  return pkg.scripts.start.split(/\s+/).filter((arg) => arg.startsWith("--"));
}
