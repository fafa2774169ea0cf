/**
 * The read that follows a stream's last expected piece (an end marker, a final chunk), if it
 * settles within one turn of the event loop: its end usually arrives with that piece, so that
 * the connection goes back to the pool for reuse. A body that goes on, or that the server holds
 * open, gets that one turn, not a wait for the server to close.
 *
 * Resolves to what `read` resolved to, or `undefined` when it had not settled after one turn
 * or it failed (its failure is handled: nothing waits for it after that). The caller then
 * cancels the read's source.
 */
export function readWithinTurn<T>(read: Promise<T>): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve) => {
    const turn = setImmediate(resolve, undefined);
    read.then(
      (result) => {
        clearImmediate(turn);
        resolve(result);
      },
      () => {
        clearImmediate(turn);
        resolve(undefined);
      },
    );
  });
}
