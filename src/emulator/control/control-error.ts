/** A control-API call with bad input (unknown account, endpoint, fault kind...): HTTP 400. */
export class ControlError extends Error {}
