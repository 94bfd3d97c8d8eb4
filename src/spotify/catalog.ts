import { z } from "zod";
import { spotifyGet, type SpotifyHttp } from "./api.js";

/** Shapes we expose, mapped from Spotify's JSON (only what a quiz host needs). */
export interface Track {
  id: string;
  name: string;
  uri: string;
  durationMs: number;
  explicit: boolean;
  popularity: number | null;
  previewUrl: string | null;
  artists: { id: string; name: string }[];
  album: { id: string; name: string; imageUrl: string | null } | null;
}
export interface Album {
  id: string;
  name: string;
  uri: string;
  releaseDate: string | null;
  artists: { id: string; name: string }[];
  imageUrl: string | null;
}
export interface Artist {
  id: string;
  name: string;
  uri: string;
  genres: string[];
  imageUrl: string | null;
}
export interface Playlist {
  id: string;
  name: string;
  uri: string;
  description: string | null;
  ownerName: string | null;
  trackCount: number;
  imageUrl: string | null;
}
export type SearchItem =
  | ({ kind: "TRACK" } & Track)
  | ({ kind: "ALBUM" } & Album)
  | ({ kind: "ARTIST" } & Artist)
  | ({ kind: "PLAYLIST" } & Playlist);

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
}

export const SPOTIFY_ID = /^[0-9A-Za-z]{22}$/;
export const spotifyIdSchema = z.string().regex(SPOTIFY_ID, "must be a Spotify id (22 letters and digits)");

type Json = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v : null);
const arr = (v: unknown) => (Array.isArray(v) ? (v as Json[]) : []);
const firstImage = (v: unknown) => str(arr(v)[0]?.url);
const people = (v: unknown) => arr(v).map((a) => ({ id: str(a.id) ?? "", name: str(a.name) ?? "" }));

export function toTrack(t: Json): Track {
  const album = t.album as Json | undefined;
  return {
    id: str(t.id) ?? "",
    name: str(t.name) ?? "",
    uri: str(t.uri) ?? "",
    durationMs: typeof t.duration_ms === "number" ? t.duration_ms : 0,
    explicit: t.explicit === true,
    popularity: typeof t.popularity === "number" ? t.popularity : null,
    previewUrl: str(t.preview_url),
    artists: people(t.artists),
    album: album ? { id: str(album.id) ?? "", name: str(album.name) ?? "", imageUrl: firstImage(album.images) } : null,
  };
}
const toAlbum = (a: Json): Album => ({
  id: str(a.id) ?? "",
  name: str(a.name) ?? "",
  uri: str(a.uri) ?? "",
  releaseDate: str(a.release_date),
  artists: people(a.artists),
  imageUrl: firstImage(a.images),
});
const toArtist = (a: Json): Artist => ({
  id: str(a.id) ?? "",
  name: str(a.name) ?? "",
  uri: str(a.uri) ?? "",
  genres: Array.isArray(a.genres) ? a.genres.filter((g): g is string => typeof g === "string") : [],
  imageUrl: firstImage(a.images),
});
export const toPlaylist = (p: Json): Playlist => ({
  id: str(p.id) ?? "",
  name: str(p.name) ?? "",
  uri: str(p.uri) ?? "",
  description: str(p.description),
  ownerName: str((p.owner as Json | undefined)?.display_name) ?? str((p.owner as Json | undefined)?.id),
  trackCount: typeof (p.tracks as Json | undefined)?.total === "number" ? ((p.tracks as Json).total as number) : 0,
  imageUrl: firstImage(p.images),
});

const SEARCH_KEYS = { TRACK: "tracks", ALBUM: "albums", ARTIST: "artists", PLAYLIST: "playlists" } as const;
const MAPPERS = { TRACK: toTrack, ALBUM: toAlbum, ARTIST: toArtist, PLAYLIST: toPlaylist } as const;

export async function search(
  http: SpotifyHttp,
  token: string,
  query: string,
  type: SearchItem["kind"],
  limit: number,
  offset: number,
): Promise<Page<SearchItem>> {
  const params = new URLSearchParams({ q: query, type: type.toLowerCase(), limit: String(limit), offset: String(offset) });
  const body = await spotifyGet<Json>(http, `/v1/search?${params}`, token);
  const page = (body[SEARCH_KEYS[type]] ?? {}) as Json;
  // Spotify returns null entries for items it has withdrawn.
  const items = arr(page.items).filter(Boolean).map((item) => ({ kind: type, ...MAPPERS[type](item) }) as SearchItem);
  return { items, total: typeof page.total === "number" ? page.total : items.length, offset };
}

export async function getPlaylist(http: SpotifyHttp, token: string, id: string): Promise<Playlist> {
  return toPlaylist(await spotifyGet<Json>(http, `/v1/playlists/${id}`, token));
}

export async function getPlaylistTracks(http: SpotifyHttp, token: string, id: string, limit: number, offset: number): Promise<Page<Track>> {
  const body = await spotifyGet<Json>(http, `/v1/playlists/${id}/tracks?limit=${limit}&offset=${offset}`, token);
  const items = arr(body.items)
    .map((entry) => entry?.track as Json | null | undefined)
    .filter((t): t is Json => Boolean(t))
    .map(toTrack);
  return { items, total: typeof body.total === "number" ? body.total : items.length, offset };
}

export async function getMyPlaylists(http: SpotifyHttp, token: string, limit: number, offset: number): Promise<Page<Playlist>> {
  const body = await spotifyGet<Json>(http, `/v1/me/playlists?limit=${limit}&offset=${offset}`, token);
  const items = arr(body.items).filter(Boolean).map(toPlaylist);
  return { items, total: typeof body.total === "number" ? body.total : items.length, offset };
}

/** Spotify's several-tracks endpoint takes at most 50 ids; unknown ids come back as null. */
export const TRACKS_PER_REQUEST = 50;

export async function getTracks(http: SpotifyHttp, token: string, ids: readonly string[]): Promise<(Track | null)[]> {
  const body = await spotifyGet<{ tracks?: (Json | null)[] }>(http, `/v1/tracks?ids=${ids.join(",")}`, token);
  const byId = new Map((body.tracks ?? []).filter((t): t is Json => Boolean(t)).map((t) => [str(t.id), toTrack(t)]));
  return ids.map((id) => byId.get(id) ?? null);
}
