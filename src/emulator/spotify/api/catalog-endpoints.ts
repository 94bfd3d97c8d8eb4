import { parseSearchQuery, SEARCH_TYPES, searchCatalog, type SearchQuery, type SearchType } from "../catalog/search.js";
import type { SpotifyApiContext, SpotifyApiEndpoint } from "./dispatch.js";
import { badRequest, notFound, requireId } from "./errors.js";
import { pageRequest, pagingObject, type PageRequest } from "./paging.js";

/** Spotify's cap on ids per batch request for tracks. */
const MAX_TRACK_IDS = 50;

function searchTypes(raw: string | null): SearchType[] {
  if (raw === null || raw === "") throw badRequest("Missing parameter type");
  const types = [...new Set(raw.split(","))];
  for (const type of types) {
    if (!(SEARCH_TYPES as readonly string[]).includes(type)) throw badRequest(`Bad search type field ${type}`);
  }
  return types as SearchType[];
}

/** GET /v1/search: one paging object per requested type, under "tracks", "albums"... */
function search(ctx: SpotifyApiContext): Record<string, unknown> {
  const params = ctx.url.searchParams;
  const q = params.get("q") ?? "";
  if (q.trim() === "") throw badRequest("No search query");
  const types = searchTypes(params.get("type"));
  const page = pageRequest(params, { defaultLimit: 20, maxLimit: 50, maxOffset: 1000 });
  const query = parseSearchQuery(q);
  const result: Record<string, unknown> = {};
  for (const type of types) {
    // Each type's links name only that type, as Spotify's do.
    const link = new URL(ctx.url);
    link.searchParams.set("type", type);
    result[`${type}s`] = searchPage(ctx, link, page, query, type);
  }
  return result;
}

function searchPage(ctx: SpotifyApiContext, link: URL, page: PageRequest, query: SearchQuery, type: SearchType) {
  const { json, emu } = ctx;
  switch (type) {
    case "track":
      return pagingObject(link, searchCatalog(emu.catalog, query, type), page, (track) => json.track(track));
    case "album":
      return pagingObject(link, searchCatalog(emu.catalog, query, type), page, (album) => json.album(album));
    case "artist":
      return pagingObject(link, searchCatalog(emu.catalog, query, type), page, (artist) => json.artist(artist));
    case "playlist":
      return pagingObject(link, searchCatalog(emu.catalog, query, type), page, (list) => json.simplifiedPlaylist(list));
  }
}

/** GET /v1/tracks?ids=: unknown ids come back as null entries, in request order. */
function severalTracks(ctx: SpotifyApiContext): Record<string, unknown> {
  const raw = ctx.url.searchParams.get("ids");
  if (raw === null || raw === "") throw badRequest("Missing required field: ids");
  const ids = raw.split(",");
  if (ids.length > MAX_TRACK_IDS) throw badRequest("Too many ids requested");
  return {
    tracks: ids.map((id) => {
      const track = ctx.emu.catalog.track(requireId(id));
      return track ? ctx.json.track(track) : null;
    }),
  };
}

function oneTrack(ctx: SpotifyApiContext): Record<string, unknown> {
  const track = ctx.emu.catalog.track(requireId(ctx.params.id ?? ""));
  if (!track) throw notFound();
  return ctx.json.track(track);
}

export const catalogEndpoints: SpotifyApiEndpoint[] = [
  { path: "/v1/search", key: "search", userOnly: false, handle: search },
  { path: "/v1/tracks", key: "tracks", userOnly: false, handle: severalTracks },
  { path: "/v1/tracks/{id}", key: "tracks", userOnly: false, handle: oneTrack },
];
