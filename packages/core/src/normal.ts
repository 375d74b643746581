/**
 * Standard normal distribution: density, CDF, inverse CDF.
 *
 * The CDF uses W. J. Cody's rational Chebyshev approximations of erf/erfc/erfcx
 * ("Rational Chebyshev approximations for the error function", Math. Comp. 23, 1969,
 * pp. 631-638; coefficients as in netlib specfun CALERF). They are accurate to about 1e-16
 * relative in the whole range, including the far lower tail, which implied volatility of
 * deep out-of-the-money options depends on.
 *
 * The inverse CDF is Wichura's algorithm AS 241 (PPND16, Applied Statistics 37, 1988),
 * accurate to about 1e-16.
 *
 * Coefficient literals are the published values rounded to the nearest double (the values the
 * runtime would use anyway; written that way to satisfy no-loss-of-precision).
 *
 * @packageDocumentation
 */

/** 1/sqrt(2π). */
export const INV_SQRT_2PI = 0.3989422804014327;
/** sqrt(π/2): turns erfcx(−z/√2) into N(z)/φ(z). */
const SQRT_PI_OVER_2 = 1.2533141373155003;
const INV_SQRT_2 = 0.7071067811865476;
/** |z| up to which N(z) comes from Cody's erf interval (0.46875·√2); beyond, from erfcx. */
export const SMALL_Z = 0.6629126073623883;

/**
 * Mills-type ratio N(z)/φ(z) for z ≤ −0.6629 (the lower tail), without any exponential:
 * √(π/2)·erfcx(−z/√2) with Cody's second (|z|/√2 ≤ 4) and third intervals. Kept as one small
 * function so that V8 inlines it into the hot loops (a double crossing a non-inlined call is
 * boxed into a heap number).
 */
export function millsLower(z: number): number {
  const y = -z * INV_SQRT_2;
  if (y <= 4) {
    const num = (((((((2.1531153547440383e-8 * y + 0.5641884969886701) * y + 8.883149794388377) * y +
      66.11919063714163) * y + 298.6351381974001) * y + 881.952221241769) * y + 1712.0476126340707) * y +
      2051.0783778260716) * y + 1230.3393547979972;
    const den = (((((((y + 15.744926110709835) * y + 117.6939508913125) * y + 537.1811018620099) * y +
      1621.3895745666903) * y + 3290.7992357334597) * y + 4362.619090143247) * y + 3439.3676741437216) * y +
      1230.3393548037495;
    return (SQRT_PI_OVER_2 * num) / den;
  }
  const w = 1 / (y * y);
  const num = (((((0.016315387137302097 * w + 0.30532663496123236) * w + 0.36034489994980445) * w +
    0.12578172611122926) * w + 0.016083785148742275) * w + 0.0006587491615298378);
  const den = (((((w + 2.568520192289822) * w + 1.8729528499234604) * w + 0.5279051029514285) * w +
    0.06051834131244132) * w + 0.0023352049762686918);
  // √(π/2)·(1/√π − w·R(w))/y
  return (SQRT_PI_OVER_2 * (0.5641895835477563 - (w * num) / den)) / y;
}

/**
 * N(z) for |z| ≤ 0.6629 from Cody's erf interval (no exponential): ½ + ½·erf(z/√2).
 */
export function normCdfCentral(z: number): number {
  const y2 = 0.5 * z * z;
  const num = (((0.18577770618460315 * y2 + 3.1611237438705655) * y2 + 113.86415415105016) * y2 +
    377.485237685302) * y2 + 3209.3775891384694;
  const den = ((((y2 + 23.601290952344122) * y2 + 244.02463793444417) * y2 + 1282.6165260773723) * y2 +
    2844.236833439171);
  return 0.5 + (0.5 * INV_SQRT_2 * z * num) / den;
}

/**
 * exp(−z²/2) with the argument split the way Cody's CALERF (and R's pnorm) does: z = zh + zl
 * with zh a multiple of 1/16, so zh² is exact and only the small remainder carries rounding.
 * The naive exp(−z*z/2) loses about z²/2 ulps, i.e. ~1e-13 relative at z = −37.
 */
function expHalfSquareAccurate(z: number): number {
  const zh = Math.trunc(z * 16) / 16;
  const del = (z - zh) * (z + zh);
  return Math.exp(-0.5 * zh * zh) * Math.exp(-0.5 * del);
}

/** Standard normal density φ(z) = exp(−z²/2)/√(2π). */
export function normPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/**
 * Standard normal CDF N(z) = P(Z ≤ z), accurate to ~1e-16 relative for every z
 * (N(−37) ≈ 5.7e-300 is still accurate; N(z) = 0 below about −38.5).
 */
export function normCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < -SMALL_Z) {
    if (z < -38.5) return 0;
    return expHalfSquareAccurate(z) * INV_SQRT_2PI * millsLower(z);
  }
  if (z > SMALL_Z) {
    if (z > 8.5) return 1;
    return 1 - expHalfSquareAccurate(z) * INV_SQRT_2PI * millsLower(-z);
  }
  return normCdfCentral(z);
}

/** AS 241 central region |p − ½| ≤ 0.425, as a function of q = p − ½. */
function normInvCentral(q: number): number {
  const r = 0.180625 - q * q;
  return (q * (((((((2509.0809287301227 * r + 33430.57558358813) * r + 67265.7709270087) * r +
    45921.95393154987) * r + 13731.69376550946) * r + 1971.5909503065513) * r +
    133.14166789178438) * r + 3.3871328727963665)) /
    (((((((5226.495278852854 * r + 28729.085735721943) * r + 39307.89580009271) * r +
      21213.794301586597) * r + 5394.196021424751) * r + 687.1870074920579) * r +
      42.31333070160091) * r + 1);
}

/** AS 241 tail, −N⁻¹(p) for p < 0.075 as a function of r = √(−ln p). */
function normInvTail(r: number): number {
  if (r <= 5) {
    const t = r - 1.6;
    return (((((((0.0007745450142783414 * t + 0.022723844989269184) * t + 0.2417807251774506) * t +
      1.2704582524523684) * t + 3.6478483247632045) * t + 5.769497221460691) * t +
      4.630337846156546) * t + 1.4234371107496835) /
      (((((((1.0507500716444169e-9 * t + 0.0005475938084995345) * t + 0.015198666563616457) * t +
        0.14810397642748008) * t + 0.6897673349851) * t + 1.6763848301838038) * t +
        2.053191626637759) * t + 1);
  }
  return normInvFarTail(r - 5);
}

/** AS 241 far tail (p < e^{−25}), as a function of t = √(−ln p) − 5. */
function normInvFarTail(t: number): number {
  return (((((((2.0103343992922881e-7 * t + 0.000027115555687434876) * t + 0.0012426609473880784) * t +
    0.026532189526576124) * t + 0.29656057182850487) * t + 1.7848265399172913) * t +
    5.463784911164114) * t + 6.657904643501103) /
    (((((((2.0442631033899397e-15 * t + 1.421511758316446e-7) * t + 0.000018463183175100548) * t +
      0.0007868691311456133) * t + 0.014875361290850615) * t + 0.1369298809227358) * t +
      0.599832206555888) * t + 1);
}

/**
 * Inverse standard normal CDF (quantile), Wichura's AS 241.
 * Returns −Infinity for p = 0, +Infinity for p = 1 and NaN outside [0, 1].
 */
export function normInv(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) return normInvCentral(q);
  const value = normInvTail(Math.sqrt(-Math.log(q < 0 ? p : 1 - p)));
  return q < 0 ? -value : value;
}
