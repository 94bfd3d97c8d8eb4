import { sendJson } from "../http/respond.js";
import { faultResponder } from "../http/fault-responses.js";
import { rateLimited, SpotifyApiError, unauthorized } from "./api/errors.js";

/** Spotify's faults: the Web API answers with its JSON error object, the accounts service does not. */
export const respondWithSpotifyFault = faultResponder({
  apiHttp500: (res) => new SpotifyApiError(500, "Server error.").send(res),
  // On the token endpoint: the app's credentials were rejected (say, a rotated secret).
  unauthorized: (family, res) =>
    family === "token"
      ? sendJson(res, 400, { error: "invalid_client", error_description: "Invalid client" })
      : unauthorized("Invalid access token").send(res),
  rateLimited: (retryAfterSeconds, res) => rateLimited(retryAfterSeconds).send(res),
});
