/**
 * How Suprovid tells that two records are probably the same person: names compared across
 * Ukrainian and Latin spellings (the official transliteration), birth date, phone and documents.
 * Pure functions: the API computes the keys when it stores a person, PostgreSQL narrows the
 * candidates by them, and scoreMatch decides. Nothing here merges anything.
 */

/** Apostrophes as people type them: ' ’ ʼ ` ‘ ´ (dropped by the transliteration and the keys). */
const apostrophes = /['’ʼ`‘´]/g;
const isApostrophe = (ch: string | undefined) => ch !== undefined && /['’ʼ`‘´]/.test(ch);

/**
 * Ukrainian to Latin, CMU resolution No. 55 of 27 January 2010. Є, Ї, Й, Ю, Я have one spelling at
 * the start of a word and another elsewhere; "зг" is "zgh" (so it is not read as "жх"); the soft
 * sign and the apostrophe are not rendered. Letters the table lacks (ы, э, ё, ъ of Russian
 * spellings found in documents) are read the nearest way.
 */
const table: Record<string, string | [atStart: string, elsewhere: string]> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'h',
  ґ: 'g',
  д: 'd',
  е: 'e',
  є: ['ye', 'ie'],
  ж: 'zh',
  з: 'z',
  и: 'y',
  і: 'i',
  ї: ['yi', 'i'],
  й: ['y', 'i'],
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ь: '',
  ю: ['yu', 'iu'],
  я: ['ya', 'ia'],
  ы: 'y',
  э: 'e',
  ё: ['yo', 'io'],
  ъ: '',
};

const isLetter = (ch: string | undefined) => ch !== undefined && /\p{L}/u.test(ch);

/** The official Latin spelling of a Ukrainian text, keeping capitals: "Олександр Шевченко" → "Oleksandr Shevchenko". */
export function transliterate(text: string): string {
  const chars = [...text.normalize('NFC')];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (isApostrophe(ch)) continue;
    const lower = ch.toLowerCase();
    const next = chars[i + 1]?.toLowerCase();
    let latin: string;
    if (lower === 'з' && next === 'г') {
      latin = 'zgh';
      i++;
    } else {
      const entry = table[lower];
      if (entry === undefined) {
        out += ch;
        continue;
      }
      // At the start of a word: nothing before it but a non-letter (an apostrophe is inside a word).
      const prev = i > 0 ? chars[i - 1] : undefined;
      const atStart = !isLetter(prev) && !isApostrophe(prev);
      latin = typeof entry === 'string' ? entry : atStart ? entry[0] : entry[1];
    }
    if (ch !== lower && latin) {
      // A capital: the first letter only, unless the word is in capitals ("ЩУКА" → "SHCHUKA").
      const shouting = isLetter(chars[i + 1]) && chars[i + 1] !== chars[i + 1]!.toLowerCase();
      latin = shouting ? latin.toUpperCase() : latin[0]!.toUpperCase() + latin.slice(1);
    }
    out += latin;
  }
  return out;
}

/**
 * A name as matching compares it: transliterated to Latin, lower-case, without apostrophes or
 * accents, words separated by one space. "Іван Петренко" and "Ivan Petrenko" have one key.
 */
export function nameKey(fullName: string): string {
  return transliterate(fullName)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(apostrophes, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * A phone number as digits in international form, Ukraine assumed for national numbers:
 * "+380 67 123 45 67", "067-123-45-67" and "80671234567" are all "380671234567".
 */
export function phoneKey(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (phone.trim().startsWith('+')) return digits;
  if (digits.length === 10 && digits.startsWith('0')) return `38${digits}`;
  if (digits.length === 11 && digits.startsWith('80')) return `3${digits}`;
  if (digits.length === 9) return `380${digits}`;
  return digits;
}

export const documentTypes = ['idp_certificate', 'rnokpp', 'passport', 'other'] as const;
export type DocumentType = (typeof documentTypes)[number];
export interface PersonDocument {
  type: DocumentType;
  number: string;
}

/** A document number as matching compares it: upper-case letters and digits only. */
export function documentNumberKey(number: string): string {
  return number.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** The keys a person's documents are found by: "type:number". */
export function documentKeys(documents: readonly PersonDocument[]): string[] {
  return [...new Set(documents.map((d) => `${d.type}:${documentNumberKey(d.number)}`))];
}

/** Jaro-Winkler similarity of two strings (1 = equal), with the usual prefix scale 0.1 over at most 4 characters. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (!a.length || !b.length) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(b.length, i + window + 1); j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j++;
    if (a[i] !== b[j]) transpositions++;
    j++;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && a[prefix] !== undefined && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/**
 * How alike two names are, 0..1, whatever their script and word order ("Шевченко Олександр" and
 * "Oleksandr Shevchenko" are 1). When both have two words or more, each word of the shorter name
 * is compared with its best counterpart, so a patronymic on one side only costs little.
 */
export function nameSimilarity(a: string, b: string): number {
  const [ka, kb] = [nameKey(a), nameKey(b)];
  if (!ka || !kb) return 0;
  const [wa, wb] = [ka.split(' ').sort(), kb.split(' ').sort()];
  let best = Math.max(jaroWinkler(ka, kb), jaroWinkler(wa.join(' '), wb.join(' ')));
  const [shorter, longer] = wa.length <= wb.length ? [wa, wb] : [wb, wa];
  if (shorter.length >= 2) {
    const perWord =
      shorter.reduce((sum, w) => sum + Math.max(...longer.map((x) => jaroWinkler(w, x))), 0) / shorter.length;
    best = Math.max(best, perWord * (shorter.length === longer.length ? 1 : 0.95));
  }
  return best;
}

export interface PersonForMatching {
  fullName: string;
  birthDate?: string;
  phone?: string;
  documents: readonly PersonDocument[];
}

/** What a match compares, and what it finds of each. */
export const matchFields = ['name', 'birthDate', 'phone', 'document'] as const;
export const matchOutcomes = ['same', 'similar', 'different'] as const;

export interface MatchReason {
  field: (typeof matchFields)[number];
  outcome: (typeof matchOutcomes)[number];
  /** For names: nameSimilarity, 0..1. */
  similarity?: number;
  documentType?: DocumentType;
}

/** Documents one person has only one number of, for life: a different number means a different person. */
const lifelongDocuments: readonly DocumentType[] = ['rnokpp'];

/** The weights of scoreMatch (docs/API.md, "Possible duplicates"). */
export const matchWeights = {
  name: 0.5,
  birthDate: 0.3,
  phone: 0.2,
  birthDateDiffers: -0.3,
  sameDocument: 0.95,
  differentLifelongDocument: 0.1,
  similarName: 0.8,
} as const;
/** Matches scoring below this are not listed as possible duplicates. */
export const possibleDuplicateThreshold = 0.5;

/**
 * The likelihood (0..1) that two records are the same person, and why. Evidence adds up: a similar
 * name (up to 0.5: nothing at similarity 0.8, rising evenly to 0.5 for equal names; Jaro-Winkler is
 * generous, so "Petrenko" and "Petruk" are 0.9 alike), the same birth date (0.3), the same phone
 * (0.2); a different birth date takes 0.3 away. The same document number (of the same type) makes
 * it at least 0.95; a different RNOKPP (one per person for life) at most 0.1. Fields missing on
 * either side say nothing.
 */
export function scoreMatch(a: PersonForMatching, b: PersonForMatching): { score: number; reasons: MatchReason[] } {
  const reasons: MatchReason[] = [];
  let score = 0;
  const similarity = Math.round(nameSimilarity(a.fullName, b.fullName) * 100) / 100;
  if (similarity >= matchWeights.similarName) {
    score += (matchWeights.name * (similarity - matchWeights.similarName)) / (1 - matchWeights.similarName);
    reasons.push({ field: 'name', outcome: similarity >= 0.97 ? 'same' : 'similar', similarity });
  } else {
    reasons.push({ field: 'name', outcome: 'different', similarity });
  }
  if (a.birthDate && b.birthDate) {
    const same = a.birthDate === b.birthDate;
    score += same ? matchWeights.birthDate : matchWeights.birthDateDiffers;
    reasons.push({ field: 'birthDate', outcome: same ? 'same' : 'different' });
  }
  if (a.phone && b.phone && phoneKey(a.phone) === phoneKey(b.phone)) {
    score += matchWeights.phone;
    reasons.push({ field: 'phone', outcome: 'same' });
  }
  const keysB = new Set(documentKeys(b.documents));
  const sameDocuments = a.documents.filter((d) => keysB.has(documentKeys([d])[0]!));
  for (const d of sameDocuments) reasons.push({ field: 'document', outcome: 'same', documentType: d.type });
  const differing = lifelongDocuments.filter((t) => {
    const [na, nb] = [a, b].map(
      (p) => new Set(p.documents.filter((d) => d.type === t).map((d) => documentNumberKey(d.number))),
    );
    return na!.size > 0 && nb!.size > 0 && ![...na!].some((n) => nb!.has(n));
  });
  for (const t of differing) reasons.push({ field: 'document', outcome: 'different', documentType: t });
  if (sameDocuments.length > 0) score = Math.max(score, matchWeights.sameDocument);
  if (differing.length > 0) score = Math.min(score, matchWeights.differentLifelongDocument);
  return { score: Math.round(Math.min(1, Math.max(0, score)) * 100) / 100, reasons };
}
