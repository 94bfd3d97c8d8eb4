import type { CatalogPlaylist } from "../catalog/model.js";
import type { SpotifyApiContext, SpotifyApiEndpoint } from "./dispatch.js";
import { notFound, requireId } from "./errors.js";
import { pageRequest, pagingObject, type PageRequest } from "./paging.js";

const ITEM_PAGES = { defaultLimit: 100, maxLimit: 100, maxOffset: Number.MAX_SAFE_INTEGER };

/** Any playlist can be read by id, private ones too (Spotify treats them as unlisted, not secret). */
function requirePlaylist(ctx: SpotifyApiContext): CatalogPlaylist {
  const playlist = ctx.emu.catalog.playlist(requireId(ctx.params.id ?? ""));
  if (!playlist) throw notFound();
  return playlist;
}

function itemsPage(ctx: SpotifyApiContext, playlist: CatalogPlaylist, page: PageRequest) {
  const link = new URL(`/v1/playlists/${playlist.id}/tracks`, ctx.url.origin);
  return pagingObject(link, playlist.trackIds, page, (_id, position) => ctx.json.playlistItem(playlist, position));
}

/** GET /v1/playlists/{id}: the playlist with the first page (100) of its items. */
function playlist(ctx: SpotifyApiContext) {
  const found = requirePlaylist(ctx);
  return ctx.json.playlist(found, itemsPage(ctx, found, { limit: ITEM_PAGES.maxLimit, offset: 0 }));
}

function playlistTracks(ctx: SpotifyApiContext) {
  return itemsPage(ctx, requirePlaylist(ctx), pageRequest(ctx.url.searchParams, ITEM_PAGES));
}

export const playlistEndpoints: SpotifyApiEndpoint[] = [
  { path: "/v1/playlists/{id}", key: "playlist", userOnly: false, handle: playlist },
  { path: "/v1/playlists/{id}/tracks", key: "playlist_tracks", userOnly: false, handle: playlistTracks },
];
