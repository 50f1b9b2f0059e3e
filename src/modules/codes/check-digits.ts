// Check digits of the identifiers a declaration carries: the enterprise's unified social credit code
// (GB 32100-2015), the container number (ISO 6346) and the ship's IMO number. Pure functions, no I/O.

// GB 32100 leaves out I, O, Z, S and V so that they cannot be misread as 1, 0, 2, 5 and U.
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
// 3^i mod 31 for i = 0..16.
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

// GB 32100-2015 table of registration authorities (first character) with the entity types (second
// character) each may register, including the later additions A (military) and N (agriculture).
const USCC_ENTITY_TYPES: ReadonlyMap<string, string> = new Map([
  ['1', '1239'], // institutional establishment: organs, public institutions, mass organisations, other
  ['2', '19'], // foreign affairs: resident foreign news agencies, other
  ['3', '123459'], // justice: law firms, notaries, legal services, forensic institutes, arbitration, other
  ['4', '19'], // culture: foreign cultural centres, other
  ['5', '1239'], // civil affairs: social organisations, private non-enterprise units, foundations, other
  ['6', '129'], // tourism: foreign and Hong Kong/Macao/Taiwan tourism offices, other
  ['7', '129'], // religion: places of worship, religious schools, other
  ['8', '19'], // trade unions: grassroots unions, other
  ['9', '123'], // market regulation: enterprises, individual businesses, farmers' cooperatives
  ['A', '19'], // Central Military Commission: military public institutions, other
  ['N', '1239'], // agriculture: group, village and township collective economic organisations, other
  ['Y', '1'], // any other authority
]);

// First two digits of a GB/T 2260 administrative division code: the province, or 10 for the national level.
const DIVISION_PREFIXES: ReadonlySet<string> = new Set([
  '10', '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82',
]);

/** The GB 32100 check character for the first 17 characters of a USCC, or undefined if they are not 17 code characters. */
export function usccCheckCharacter(first17: string): string | undefined {
  if (first17.length !== USCC_WEIGHTS.length) return undefined;
  let sum = 0;
  for (const [index, weight] of USCC_WEIGHTS.entries()) {
    const value = USCC_CHARSET.indexOf(first17.charAt(index));
    if (value === -1) return undefined;
    sum += value * weight;
  }
  // 31 - (sum mod 31) runs from 1 to 31, and 31 is written as '0'.
  return USCC_CHARSET.charAt((31 - (sum % 31)) % 31);
}

/** Whether a string is an 18-character unified social credit code with a valid structure and check character. */
export function isValidUscc(code: string): boolean {
  if (code.length !== 18) return false;
  const entityTypes = USCC_ENTITY_TYPES.get(code.charAt(0));
  if (entityTypes === undefined || !entityTypes.includes(code.charAt(1))) return false;
  const division = code.slice(2, 8);
  if (!/^\d{6}$/.test(division) || !DIVISION_PREFIXES.has(division.slice(0, 2))) return false;
  const expected = usccCheckCharacter(code.slice(0, 17));
  return expected !== undefined && expected === code.charAt(17);
}

const CONTAINER_PREFIX = /^[A-Z]{3}[UJZ]\d{6}$/;

// ISO 6346 numbers the letters from 10 upwards but skips the multiples of 11 (A=10, B=12, ..., Z=38), so that
// no letter is worth the modulus.
const CONTAINER_LETTER_VALUES: ReadonlyMap<string, number> = numberContainerLetters();

function numberContainerLetters(): Map<string, number> {
  const values = new Map<string, number>();
  let value = 10;
  for (const letter of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
    if (value % 11 === 0) value += 1;
    values.set(letter, value);
    value += 1;
  }
  return values;
}

/** The ISO 6346 check digit for owner code, category (U, J or Z) and serial number, or undefined if they are malformed. */
export function containerCheckDigit(first10: string): number | undefined {
  if (!CONTAINER_PREFIX.test(first10)) return undefined;
  let sum = 0;
  for (const [position, character] of [...first10].entries()) {
    const value = CONTAINER_LETTER_VALUES.get(character) ?? Number(character);
    sum += value * 2 ** position;
  }
  // A remainder of 10 is written as 0; ISO 6346 advises owners not to issue such serials, but they exist.
  return (sum % 11) % 10;
}

/** Whether a string is an 11-character ISO 6346 container number with a valid check digit. */
export function isValidContainerNumber(code: string): boolean {
  if (!/^[A-Z]{3}[UJZ]\d{7}$/.test(code)) return false;
  return containerCheckDigit(code.slice(0, 10)) === Number(code.charAt(10));
}

/** Whether a string is a 7-digit IMO ship number (no "IMO" prefix) with a valid check digit. */
export function isValidImoNumber(code: string): boolean {
  if (!/^\d{7}$/.test(code)) return false;
  const digits = [...code].map(Number);
  const sum = digits.slice(0, 6).reduce((total, digit, index) => total + digit * (7 - index), 0);
  return sum % 10 === digits[6];
}
