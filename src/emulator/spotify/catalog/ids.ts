import { createHash } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Spotify catalog ids are 22 base62 characters. */
export const SPOTIFY_ID = /^[0-9A-Za-z]{22}$/;

function digest(seed: string): Buffer {
  return createHash("sha256").update(`spotify-emulator:${seed}`).digest();
}

/** A stable id for a seed, so the catalog is identical on every run and every machine. */
export function spotifyId(seed: string): string {
  let value = BigInt(`0x${digest(seed).toString("hex")}`);
  let id = "";
  for (let i = 0; i < 22; i += 1) {
    id += BASE62[Number(value % 62n)];
    value /= 62n;
  }
  return id;
}

/** Stable hex, for image and preview URLs. */
export function stableHex(seed: string, length: number): string {
  return digest(seed).toString("hex").slice(0, length);
}
