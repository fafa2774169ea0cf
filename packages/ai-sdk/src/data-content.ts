// File data of the AI SDK's prompt parts: base64 text and the image type of bytes whose type was not given.
/** Base64 of the part's data: bytes are encoded; a string is base64 already (the spec's convention). */
export function toBase64(data: Uint8Array | string): string {
  return typeof data === 'string' ? data : Buffer.from(data).toString('base64');
}

const SIGNATURES: ReadonlyArray<{ mediaType: string; bytes: readonly number[] }> = [
  { mediaType: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { mediaType: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { mediaType: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  { mediaType: 'image/webp', bytes: [0x52, 0x49, 0x46, 0x46] },
];

/** The image type from the first bytes (PNG, JPEG, GIF, WebP), or `undefined`. */
export function detectImageMediaType(data: Uint8Array | string): string | undefined {
  const head = typeof data === 'string' ? Buffer.from(data.slice(0, 16), 'base64') : data.subarray(0, 12);
  return SIGNATURES.find((signature) => signature.bytes.every((byte, index) => head[index] === byte))?.mediaType;
}
