// A refusal of the request itself (413, 415, a body that is not UTF-8): thrown by the
// body readers, answered by the server with its status and small JSON body, never logged
// as an error.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(`HTTP ${status}`);
  }
}
