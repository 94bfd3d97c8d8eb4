import { lexicographicSortSchema, printSchema } from "graphql";
import { builder } from "./builder.js";
import "./user.js";
import "./integrations.js";
import "./dropbox.js";
import "./exports.js";
import "./spotify.js";
import "./admin.js";

export const schema = builder.toSchema();

/** The SDL committed as schema.graphql, sorted so diffs stay stable. */
export function printSchemaSdl(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
