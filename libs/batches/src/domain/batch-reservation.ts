/** The reservation that backs an approval of this exact content: a retry finds the same one. */
export function reservationIdFor(batchId: string, contentHash: string): string {
  return `${batchId}:${contentHash}`;
}
