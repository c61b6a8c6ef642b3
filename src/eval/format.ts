/**
 * Formats like C's printf("%.4f") under glibc: the exact binary value rounded, with exact ties to
 * even. (JS toFixed breaks exact ties upward, so 1/32 would print 0.0313 where trec_eval prints 0.0312.)
 */
export function formatFixed4(value: number): string {
  const long = value.toFixed(30);
  const dot = long.indexOf('.');
  const tail = long.slice(dot + 5);
  if (/^50*$/.test(tail)) {
    // Exact tie: round the 4-decimal truncation to even.
    const truncated = long.slice(0, dot + 5);
    const lastDigit = Number(truncated[truncated.length - 1]);
    if (lastDigit % 2 === 0) return truncated === '-0.0000' ? '0.0000' : truncated;
  }
  return value.toFixed(4);
}
