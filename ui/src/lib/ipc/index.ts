// The UI's door to Rust. Everything goes through the generated bindings; this module only turns
// their `Result` values into exceptions carrying the IpcError code and message.
import type { ErrorCode, IpcError } from './bindings';

export * from './bindings';

/** An error raised by a Rust command; branch on `code`, show `message`. */
export class CommandError extends Error {
  readonly code: ErrorCode;
  constructor(e: IpcError) {
    super(e.message);
    this.code = e.code;
  }
}

type Res<T> = { status: 'ok'; data: T } | { status: 'error'; error: IpcError };

/** Awaits a command and returns its value, throwing a CommandError on failure. */
export async function unwrap<T>(call: Promise<Res<T>>): Promise<T> {
  const r = await call;
  if (r.status === 'error') throw new CommandError(r.error);
  return r.data;
}

/** A readable message for any thrown value. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  return JSON.stringify(e);
}
