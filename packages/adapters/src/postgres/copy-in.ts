// One COPY FROM STDIN kept open inside a transaction (pg-copy-streams), written in string pieces with
// the stream's backpressure honoured. `finish` resolves only after the server has taken every row
// (ReadyForQuery); `abort` destroys the stream, which sends CopyFail so the server discards the COPY.

import { once } from 'node:events';
import { from as copyFrom } from 'pg-copy-streams';
import type { CopyStreamQuery } from 'pg-copy-streams';
import type { PgClient } from './pg-driver.js';

/**
 * Bytes the COPY stream buffers before `write` waits. pg-copy-streams passes each piece to the socket
 * and holds the next ones until the socket drained; with the default 16 KiB every ~0.5 MB piece waited
 * for PostgreSQL to read the previous one, so encoding and the server's parsing took turns. A few
 * pieces of slack let them overlap.
 */
const COPY_BUFFER_BYTES = 4 * 1024 * 1024;

/** An open `COPY ... FROM STDIN` on one client. */
export class CopyIn {
  readonly #stream: CopyStreamQuery;
  #error: Error | undefined;
  #aborted = false;

  /**
   * Start `sql` (a `COPY ... FROM STDIN`) on `client`; rows can be written at once. `onError` hears
   * of a failure even while nobody is writing (the server refused a row, the connection died).
   */
  constructor(client: PgClient, sql: string, onError: (error: Error) => void) {
    this.#stream = client.query(copyFrom(sql, { highWaterMark: COPY_BUFFER_BYTES }));
    // Keep the first error; without a listener an 'error' event would crash the process.
    this.#stream.on('error', (error: Error) => {
      this.#error ??= error;
      onError(error);
    });
  }

  /** Write one piece of COPY text (UTF-8 bytes or a string); waits for 'drain' when the socket is full. */
  async write(piece: Uint8Array | string): Promise<void> {
    if (this.#aborted) throw new Error('COPY was aborted');
    if (this.#error !== undefined) throw this.#error;
    if (this.#stream.write(piece)) return;
    await this.#until('drain');
  }

  /** End the COPY and wait until the server confirmed it (the transaction stays open). */
  async finish(): Promise<void> {
    if (this.#error !== undefined) throw this.#error;
    this.#stream.end();
    await this.#until('finish');
  }

  /** Discard the COPY (CopyFail). Never throws; the caller rolls the transaction back after. */
  async abort(): Promise<void> {
    this.#aborted = true;
    // After a server error the COPY is already over (and pg-copy-streams has dropped its connection,
    // so destroy() could not send CopyFail). A destroyed stream was aborted before or finished (a
    // finished stream destroys itself before `finish` returns): nothing is left to discard.
    if (this.#error !== undefined || this.#stream.destroyed) return;
    const closed = once(this.#stream, 'close').catch(() => undefined);
    this.#stream.destroy();
    await closed;
  }

  /** Wait for `event`, or reject on the stream's error or an early close. */
  async #until(event: 'drain' | 'finish'): Promise<void> {
    const stream = this.#stream;
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error): void => {
        stream.off(event, onEvent);
        stream.off('error', onError);
        stream.off('close', onClose);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onEvent = (): void => done();
      const onError = (error: Error): void => done(error);
      const onClose = (): void => done(this.#error ?? new Error('COPY stream closed before it finished'));
      stream.on(event, onEvent);
      stream.on('error', onError);
      stream.on('close', onClose);
    });
  }
}
