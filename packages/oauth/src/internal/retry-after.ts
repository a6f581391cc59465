const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
/** IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
/** Obsolete RFC 850 date: `Sunday, 06-Nov-94 08:49:37 GMT`. */
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
/** Obsolete asctime date: `Sun Nov  6 08:49:37 1994`. */
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

/**
 * `Retry-After` (RFC 9110 §10.2.3) as milliseconds from now. Delta-seconds must be digits
 * only; a date must be one of RFC 9110 §5.6.7's HTTP-date forms (a date in the past means
 * no wait). Anything else (`-5`, `1.5`, ` 5 `, words, other date formats) is ignored.
 *
 * @param value - The header value, or `null` when absent.
 * @param now - The clock, for dates.
 * @returns The wait in ms, or `undefined` when there is no usable value.
 */
export function parseRetryAfter(value: string | null, now: () => number): number | undefined {
  if (value === null) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const current = now();
  const at = parseHttpDate(value, current);
  return at === undefined ? undefined : Math.max(0, at - current);
}

/**
 * An HTTP-date (RFC 9110 §5.6.7: IMF-fixdate, or the obsolete RFC 850 and asctime forms)
 * as epoch ms. A two-digit RFC 850 year is read as this century or the last, whichever
 * is not more than 50 years ahead (§5.6.7).
 *
 * @param value - The text.
 * @param nowMs - The current time (epoch ms), which places a two-digit year.
 * @returns Epoch ms, or `undefined` when the text is not an HTTP-date or not a real date.
 */
export function parseHttpDate(value: string, nowMs: number): number | undefined {
  const parts = httpDateParts(value, nowMs);
  if (!parts) return undefined;
  const { day, month, year, hours, minutes, seconds } = parts;
  if (hours > 23 || minutes > 59 || seconds > 60) return undefined;
  const at = Date.UTC(year, month, day, hours, minutes, seconds);
  // Date.UTC rolls 32 Jan over to 1 Feb: such a date is not a real one.
  return new Date(at).getUTCDate() === day ? at : undefined;
}

interface DateParts {
  day: number;
  /** 0 for January. */
  month: number;
  year: number;
  hours: number;
  minutes: number;
  seconds: number;
}

function httpDateParts(value: string, nowMs: number): DateParts | undefined {
  const fixdate = IMF_FIXDATE.exec(value);
  if (fixdate) return dateParts(fixdate[1], fixdate[2], Number(fixdate[3]), fixdate.slice(4));
  const rfc850 = RFC_850.exec(value);
  if (rfc850) {
    const thisYear = new Date(nowMs).getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + Number(rfc850[3]);
    if (year > thisYear + 50) year -= 100;
    return dateParts(rfc850[1], rfc850[2], year, rfc850.slice(4));
  }
  const asctime = ASCTIME.exec(value);
  if (asctime) return dateParts(asctime[2], asctime[1], Number(asctime[6]), asctime.slice(3, 6));
  return undefined;
}

function dateParts(
  day: string | undefined,
  month: string | undefined,
  year: number,
  time: readonly (string | undefined)[],
): DateParts {
  const [hours, minutes, seconds] = time.map(Number) as [number, number, number];
  return { day: Number(day), month: MONTHS.indexOf(month!), year, hours, minutes, seconds };
}
