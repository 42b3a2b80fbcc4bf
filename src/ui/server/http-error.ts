/** An API error with its HTTP status: the message is shown to the user as `{ error }`. */
export class HttpError extends Error {
  readonly status: 400 | 401 | 403 | 404 | 413 | 500;
  constructor(status: HttpError['status'], message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
  }
}
