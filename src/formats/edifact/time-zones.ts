// Where a zoneless DTM is read: terminals send local time, so a time without a zone is taken in the time zone of
// the event's location (issue 11). The zone comes from the UN/LOCODE: first a table of single locations (the main
// ports of countries that span several zones), then a table of countries that keep one civil time throughout
// (DST included: the IANA zone carries the country's rules, applied by Intl). A country with several zones and a
// location not in the table is not guessed: the time is read as UTC, and the event says so.

/** Countries (ISO 3166 alpha-2, the first two letters of a UN/LOCODE) with one civil time, to their IANA zone. */
const COUNTRY_ZONES: Readonly<Record<string, string>> = {
  // Asia
  CN: 'Asia/Shanghai', HK: 'Asia/Hong_Kong', MO: 'Asia/Macau', TW: 'Asia/Taipei', JP: 'Asia/Tokyo', KR: 'Asia/Seoul',
  KP: 'Asia/Pyongyang', SG: 'Asia/Singapore', MY: 'Asia/Kuala_Lumpur', TH: 'Asia/Bangkok', VN: 'Asia/Ho_Chi_Minh',
  PH: 'Asia/Manila', KH: 'Asia/Phnom_Penh', MM: 'Asia/Yangon', BN: 'Asia/Brunei', BD: 'Asia/Dhaka', IN: 'Asia/Kolkata',
  LK: 'Asia/Colombo', PK: 'Asia/Karachi', MV: 'Indian/Maldives', AE: 'Asia/Dubai', OM: 'Asia/Muscat', SA: 'Asia/Riyadh',
  QA: 'Asia/Qatar', BH: 'Asia/Bahrain', KW: 'Asia/Kuwait', IR: 'Asia/Tehran', IQ: 'Asia/Baghdad', IL: 'Asia/Jerusalem',
  JO: 'Asia/Amman', LB: 'Asia/Beirut', SY: 'Asia/Damascus', YE: 'Asia/Aden', GE: 'Asia/Tbilisi', AZ: 'Asia/Baku',
  TR: 'Europe/Istanbul', CY: 'Asia/Nicosia',
  // Europe
  DE: 'Europe/Berlin', NL: 'Europe/Amsterdam', BE: 'Europe/Brussels', LU: 'Europe/Luxembourg', FR: 'Europe/Paris',
  GB: 'Europe/London', IE: 'Europe/Dublin', IT: 'Europe/Rome', MT: 'Europe/Malta', GR: 'Europe/Athens', PL: 'Europe/Warsaw',
  SE: 'Europe/Stockholm', NO: 'Europe/Oslo', DK: 'Europe/Copenhagen', FI: 'Europe/Helsinki', EE: 'Europe/Tallinn',
  LV: 'Europe/Riga', LT: 'Europe/Vilnius', HR: 'Europe/Zagreb', SI: 'Europe/Ljubljana', RO: 'Europe/Bucharest',
  BG: 'Europe/Sofia', CH: 'Europe/Zurich', AT: 'Europe/Vienna', CZ: 'Europe/Prague', SK: 'Europe/Bratislava',
  HU: 'Europe/Budapest', IS: 'Atlantic/Reykjavik', ME: 'Europe/Podgorica', AL: 'Europe/Tirane', RS: 'Europe/Belgrade',
  // Africa
  EG: 'Africa/Cairo', MA: 'Africa/Casablanca', DZ: 'Africa/Algiers', TN: 'Africa/Tunis', LY: 'Africa/Tripoli',
  NG: 'Africa/Lagos', GH: 'Africa/Accra', CI: 'Africa/Abidjan', TG: 'Africa/Lome', BJ: 'Africa/Porto-Novo',
  SN: 'Africa/Dakar', CM: 'Africa/Douala', AO: 'Africa/Luanda', KE: 'Africa/Nairobi', TZ: 'Africa/Dar_es_Salaam',
  DJ: 'Africa/Djibouti', MZ: 'Africa/Maputo', ZA: 'Africa/Johannesburg', NA: 'Africa/Windhoek', MU: 'Indian/Mauritius',
  // Americas
  PA: 'America/Panama', CO: 'America/Bogota', PE: 'America/Lima', AR: 'America/Argentina/Buenos_Aires',
  UY: 'America/Montevideo', VE: 'America/Caracas', GT: 'America/Guatemala', CR: 'America/Costa_Rica',
  HN: 'America/Tegucigalpa', SV: 'America/El_Salvador', NI: 'America/Managua', DO: 'America/Santo_Domingo',
  JM: 'America/Jamaica', CU: 'America/Havana', TT: 'America/Port_of_Spain', BS: 'America/Nassau', PR: 'America/Puerto_Rico',
  // Oceania
  FJ: 'Pacific/Fiji',
};

/**
 * Single locations in countries with several zones (US, CA, MX, BR, RU, AU, ID, NZ, CL, EC, ES, PT and the like):
 * the main container ports, each to its IANA zone. Any other location of those countries is read as UTC, flagged.
 */
const LOCATION_ZONES: Readonly<Record<string, string>> = {
  USNYC: 'America/New_York', USSAV: 'America/New_York', USCHS: 'America/New_York', USORF: 'America/New_York',
  USBAL: 'America/New_York', USMIA: 'America/New_York', USJAX: 'America/New_York', USHOU: 'America/Chicago',
  USMSY: 'America/Chicago', USMOB: 'America/Chicago', USLAX: 'America/Los_Angeles', USLGB: 'America/Los_Angeles',
  USOAK: 'America/Los_Angeles', USSEA: 'America/Los_Angeles', USTIW: 'America/Los_Angeles', USHNL: 'Pacific/Honolulu',
  USANC: 'America/Anchorage', CAVAN: 'America/Vancouver', CAPRR: 'America/Vancouver', CAMTR: 'America/Toronto',
  CAHAL: 'America/Halifax', MXZLO: 'America/Mexico_City', MXLZC: 'America/Mexico_City', MXVER: 'America/Mexico_City',
  MXATM: 'America/Mexico_City', BRSSZ: 'America/Sao_Paulo', BRPNG: 'America/Sao_Paulo', BRRIG: 'America/Sao_Paulo',
  BRRIO: 'America/Sao_Paulo', BRITJ: 'America/Sao_Paulo', BRSUA: 'America/Recife', BRPEC: 'America/Recife',
  RULED: 'Europe/Moscow', RUNVS: 'Europe/Moscow', RUVVO: 'Asia/Vladivostok', RUVYP: 'Asia/Vladivostok',
  AUSYD: 'Australia/Sydney', AUMEL: 'Australia/Melbourne', AUBNE: 'Australia/Brisbane', AUFRE: 'Australia/Perth',
  AUADL: 'Australia/Adelaide', IDTPP: 'Asia/Jakarta', IDSUB: 'Asia/Jakarta', IDSRG: 'Asia/Jakarta', IDBLW: 'Asia/Jakarta',
  IDMAK: 'Asia/Makassar', NZAKL: 'Pacific/Auckland', NZTRG: 'Pacific/Auckland', NZLYT: 'Pacific/Auckland',
  CLSAI: 'America/Santiago', CLVAP: 'America/Santiago', CLSVE: 'America/Santiago', ECGYE: 'America/Guayaquil',
  ESVLC: 'Europe/Madrid', ESALG: 'Europe/Madrid', ESBCN: 'Europe/Madrid', ESBIO: 'Europe/Madrid', ESLPA: 'Atlantic/Canary',
  ESSCT: 'Atlantic/Canary', PTLIS: 'Europe/Lisbon', PTSIE: 'Europe/Lisbon', PTLEI: 'Europe/Lisbon', PTPDL: 'Atlantic/Azores',
};

/** The time zone a zoneless time at this UN/LOCODE is read in, or undefined when Kouan does not know it. */
export function timeZoneOfLocation(locode: string): string | undefined {
  return LOCATION_ZONES[locode] ?? COUNTRY_ZONES[locode.slice(0, 2)];
}

/** Every zone the tables name (the tests check that Intl knows each). */
export const KNOWN_TIME_ZONES: readonly string[] = [...new Set([...Object.values(COUNTRY_ZONES), ...Object.values(LOCATION_ZONES)])];

const formatters = new Map<string, Intl.DateTimeFormat>();

// Intl is slow next to the parser (a formatToParts is microseconds), and an interchange's times crowd together:
// offsets are remembered per zone and quarter hour of UTC. Every offset of the tables' zones is a whole number of
// quarter hours and changes at a local quarter hour, so it is constant within each UTC quarter hour. Bounded, so
// that a stream of distinct times cannot grow it without end.
const QUARTER_HOUR = 900_000;
const OFFSETS_MAX = 50_000;
const offsets = new Map<string, number>();

// The zone's offset from UTC at an instant, in milliseconds.
function offsetAt(zone: string, instant: number): number {
  const quarter = Math.floor(instant / QUARTER_HOUR);
  const key = `${zone} ${quarter}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  if (offsets.size >= OFFSETS_MAX) offsets.clear();
  const offset = intlOffsetAt(zone, quarter * QUARTER_HOUR);
  offsets.set(key, offset);
  return offset;
}

// The zone's offset from UTC at an instant, from the wall time Intl gives for it.
function intlOffsetAt(zone: string, instant: number): number {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The UTC instant of a wall time in a zone (the wall time given as if it were UTC, in ms), with the zone's offsets
 * a day before and a day after as the candidates, as Temporal's "compatible" disambiguation does: a wall time that
 * occurs twice (DST ends) is its earlier occurrence, one that a DST start skips is read with the offset before it
 * (02:30 on a spring-forward night at +01:00 becomes 03:30 at +02:00).
 */
export function wallTimeToUtc(wall: number, zone: string): number {
  const DAY = 86_400_000;
  const before = offsetAt(zone, wall - DAY);
  const after = offsetAt(zone, wall + DAY);
  const valid = [wall - before, wall - after].filter((instant, index) => offsetAt(zone, instant) === (index === 0 ? before : after));
  return valid.length === 0 ? wall - before : Math.min(...valid);
}
