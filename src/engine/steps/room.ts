/**
 * Room after a dataset's columns for the aggregates that follow (normalise, then aggregate): the
 * normalised values are written into a buffer with space for the aggregates' columns, and aggregation
 * appends its columns there instead of copying every indicator's column into a new buffer (in the
 * whole run at 10,000 × 200 that copy and the fresh 18 MB were a third of the time). The room is taken
 * once: a second aggregation of the same normalised data (another weighting, a sensitivity
 * replication) gets a buffer of its own, so no result ever shares the columns another one writes.
 */
const rooms = new WeakMap<ArrayBufferLike, { na: ArrayBufferLike; taken: boolean }>();

/** A dataset's values and missing flags of `length` cells, with room for `spare` more after them. */
export function withRoom(length: number, spare: number): { values: Float64Array; na: Uint8Array } {
  const values = new Float64Array(new ArrayBuffer((length + spare) * 8), 0, length);
  const na = new Uint8Array(new ArrayBuffer(length + spare), 0, length);
  rooms.set(values.buffer, { na: na.buffer, taken: false });
  return { values, na };
}

/**
 * The values and flags of `length` cells beginning with `values` and `na` where they were made with
 * room for them (withRoom) and the room was not taken yet (it is now); null otherwise. What the room
 * holds is zeros, as a new buffer's.
 */
export function takeRoom(
  values: Float64Array,
  na: Uint8Array,
  length: number,
): { values: Float64Array; na: Uint8Array } | null {
  const room = rooms.get(values.buffer);
  if (
    !room ||
    room.taken ||
    room.na !== na.buffer ||
    values.byteOffset !== 0 ||
    na.byteOffset !== 0 ||
    values.length !== na.length ||
    values.buffer.byteLength < length * 8 ||
    na.buffer.byteLength < length
  )
    return null;
  room.taken = true;
  return { values: new Float64Array(values.buffer, 0, length), na: new Uint8Array(na.buffer, 0, length) };
}
