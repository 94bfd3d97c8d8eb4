import { faultResponder } from "../http/fault-responses.js";
import { authError, rateLimited } from "./api/errors.js";

/** Dropbox's faults: a 500 is plain text everywhere, the rest are its API's JSON errors. */
export const respondWithFault = faultResponder({
  unauthorized: (_family, res) => authError("invalid_access_token").send(res),
  rateLimited: (retryAfterSeconds, res) => rateLimited(retryAfterSeconds).send(res),
});
