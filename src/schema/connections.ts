import type { ObjectRef, UnionRef } from "@pothos/core";
import { z } from "zod";
import { builder } from "./builder.js";
import { parseArg } from "./validation.js";

export type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer S> ? S : never;

export interface PageInfoShape {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** Relay's PageInfo, shared by every connection in the schema. */
export const PageInfo = builder.objectRef<PageInfoShape>("PageInfo").implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean("hasNextPage"),
    hasPreviousPage: t.exposeBoolean("hasPreviousPage"),
    startCursor: t.exposeString("startCursor", { nullable: true }),
    endCursor: t.exposeString("endCursor", { nullable: true }),
  }),
});

interface Edge<T> {
  cursor: string;
  node: T;
}

/**
 * A Relay-style `<name>Connection` (edges and pageInfo) with its `<name>Edge`, over any page
 * shape: `edges` and `more` read the page (the start and end cursors are its first and last
 * edge's). Add fields of a particular connection with builder.objectFields on the returned ref.
 */
export function connectionType<P, T>(
  name: string,
  node: ObjectRef<Types, T> | UnionRef<Types, T>,
  read: { edges(page: P): Edge<T>[]; more(page: P): Pick<PageInfoShape, "hasNextPage" | "hasPreviousPage"> },
) {
  const EdgeType = builder.objectRef<Edge<T>>(`${name}Edge`).implement({
    // Pothos cannot relate a generic T to the ref's shape; the ref is built for exactly T.
    fields: (t) => ({ cursor: t.exposeString("cursor"), node: t.field({ type: node, resolve: (e) => e.node as never }) }),
  });
  return builder.objectRef<P>(`${name}Connection`).implement({
    fields: (t) => ({
      edges: t.field({ type: [EdgeType], resolve: (page) => read.edges(page) }),
      pageInfo: t.field({
        type: PageInfo,
        resolve: (page) => {
          const edges = read.edges(page);
          return { ...read.more(page), startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null };
        },
      }),
    }),
  });
}

/** A page of database rows whose cursor is the row id (stable under inserts). */
export interface RowPage<T> {
  rows: T[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

export function rowConnection<T extends { id: string }>(name: string, node: ObjectRef<Types, T>) {
  return connectionType<RowPage<T>, T>(name, node, {
    edges: (page) => page.rows.map((row) => ({ cursor: row.id, node: row })),
    more: ({ hasNextPage, hasPreviousPage }) => ({ hasNextPage, hasPreviousPage }),
  });
}

/** A page size `first` of 1 to `max`. */
export const pageSizeSchema = (max: number) =>
  z.number().int().min(1, `first must be between 1 and ${max}`).max(max, `first must be between 1 and ${max}`);

/** Validated `first` / `after` for a row connection; fetch `take` rows and pass them to `toPage`. */
export function rowPageArgs(args: { first?: number | null; after?: string | null }, defaults: { first: number; max: number }) {
  const first = parseArg("first", pageSizeSchema(defaults.max), args.first ?? defaults.first);
  const after = args.after ? parseArg("after", z.uuid("after must be a cursor from a previous page"), args.after) : null;
  return {
    take: first + 1,
    ...(after ? { cursor: { id: after }, skip: 1 } : {}),
    toPage: <T>(rows: T[]): RowPage<T> => ({ rows: rows.slice(0, first), hasNextPage: rows.length > first, hasPreviousPage: after !== null }),
  };
}
