// Mesos keeps scalar resources as doubles but does every comparison and sum in fixed point with three
// decimal digits (src/common/values.cpp convertToFixed/convertToFloating). We store scalars as
// integer "milli" units so sums are exact and equal what Mesos reports.

/** Scalar value → integer thousandths, rounding half away from zero like C's llround. */
export function toMilli(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`scalar value must be finite, got ${value}`);
  const scaled = value * 1000;
  return scaled < 0 ? -Math.round(-scaled) : Math.round(scaled);
}

/** Integer thousandths → the double Mesos would report (integer part plus a remainder in [0, 1)). */
export function fromMilli(milli: number): number {
  const quotient = Math.trunc(milli / 1000);
  return quotient + (milli - quotient * 1000) / 1000;
}

/** Text of a scalar as Mesos prints it: at most 15 significant digits, no trailing zeros. */
export function formatMilli(milli: number): string {
  return String(Number(fromMilli(milli).toPrecision(15)));
}
