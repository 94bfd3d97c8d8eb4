import { badRequest } from "./errors.js";

type Json = Record<string, unknown>;

export interface PageRequest {
  limit: number;
  offset: number;
}

export interface PageRules {
  defaultLimit: number;
  maxLimit: number;
  maxOffset: number;
}

function integerParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name);
  if (raw === null) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw badRequest(`Invalid ${name}`);
  return value;
}

/** limit and offset as Spotify validates them: out of range is a 400, not a silent clamp. */
export function pageRequest(params: URLSearchParams, rules: PageRules): PageRequest {
  return {
    limit: integerParam(params, "limit", rules.defaultLimit, 1, rules.maxLimit),
    offset: integerParam(params, "offset", 0, 0, rules.maxOffset),
  };
}

/**
 * Spotify's paging object. `url` is the endpoint with its other query parameters; href,
 * next and previous add offset and limit to it, so a client can follow next verbatim.
 */
export function pagingObject<T>(
  url: URL,
  all: readonly T[],
  page: PageRequest,
  render: (item: T, index: number) => unknown,
): Json {
  const at = (offset: number) => {
    const link = new URL(url);
    link.searchParams.set("offset", String(offset));
    link.searchParams.set("limit", String(page.limit));
    return link.toString();
  };
  const end = Math.min(all.length, page.offset + page.limit);
  const items = all.slice(page.offset, end).map((item, n) => render(item, page.offset + n));
  return {
    href: at(page.offset),
    items,
    limit: page.limit,
    next: end < all.length ? at(end) : null,
    offset: page.offset,
    previous: page.offset > 0 ? at(Math.max(0, page.offset - page.limit)) : null,
    total: all.length,
  };
}
