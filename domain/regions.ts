/**
 * Ukraine's regions (the first level of its administrative division): 24 oblasts, the Autonomous
 * Republic of Crimea, and the cities of Kyiv and Sevastopol, by their ISO 3166-2:UA codes. The
 * code is what Suprovid stores and returns; a caller may send the code or, for compatibility, a
 * name in English or Ukrainian in any case ("Kharkiv", "харківська область", "ua-63").
 * Pure: migration 008 fills the `regions` table with the same rows (a test compares them).
 */
export type RegionKind = 'oblast' | 'city' | 'autonomous_republic';

export interface Region {
  /** ISO 3166-2:UA, for example UA-63. */
  code: string;
  nameUk: string;
  nameEn: string;
  kind: RegionKind;
  /** Other names a caller may send: the oblast's centre, the adjective alone, older spellings. */
  aliases: string[];
}

/** An oblast named after its centre: "Kharkiv Oblast" / "Харківська область", also "Kharkiv", "Харківська", "Харків". */
function oblast(code: string, en: string, ukAdjective: string, ukCentre: string, more: string[] = []): Region {
  return {
    code,
    nameUk: `${ukAdjective} область`,
    nameEn: `${en} Oblast`,
    kind: 'oblast',
    aliases: [en, `${en} region`, ukAdjective, ukCentre, ...more],
  };
}

export const ukraineRegions: readonly Region[] = [
  oblast('UA-05', 'Vinnytsia', 'Вінницька', 'Вінниця', ['Vinnytska oblast']),
  oblast('UA-07', 'Volyn', 'Волинська', 'Волинь', ['Volynska oblast']),
  oblast('UA-09', 'Luhansk', 'Луганська', 'Луганськ', ['Luhanska oblast']),
  oblast('UA-12', 'Dnipropetrovsk', 'Дніпропетровська', 'Дніпро', ['Dnipro', 'Dnipropetrovska oblast']),
  oblast('UA-14', 'Donetsk', 'Донецька', 'Донецьк', ['Donetska oblast']),
  oblast('UA-18', 'Zhytomyr', 'Житомирська', 'Житомир', ['Zhytomyrska oblast']),
  oblast('UA-21', 'Zakarpattia', 'Закарпатська', 'Закарпаття', ['Transcarpathia', 'Zakarpatska oblast']),
  oblast('UA-23', 'Zaporizhzhia', 'Запорізька', 'Запоріжжя', ['Zaporizhia', 'Zaporizka oblast']),
  oblast('UA-26', 'Ivano-Frankivsk', 'Івано-Франківська', 'Івано-Франківськ', ['Ivano-Frankivska oblast']),
  {
    code: 'UA-30',
    nameUk: 'Київ',
    nameEn: 'Kyiv',
    kind: 'city',
    aliases: ['Kyiv city', 'Kiev', 'місто Київ', 'м. Київ'],
  },
  // Not "Kyiv" alone: that is the city.
  {
    code: 'UA-32',
    nameUk: 'Київська область',
    nameEn: 'Kyiv Oblast',
    kind: 'oblast',
    aliases: ['Kyiv region', 'Київська', 'Київщина', 'Kyivska oblast'],
  },
  oblast('UA-35', 'Kirovohrad', 'Кіровоградська', 'Кропивницький', ['Kirovohradska oblast', 'Kropyvnytskyi']),
  {
    code: 'UA-40',
    nameUk: 'Севастополь',
    nameEn: 'Sevastopol',
    kind: 'city',
    aliases: ['Sevastopol city', 'місто Севастополь', 'м. Севастополь'],
  },
  {
    code: 'UA-43',
    nameUk: 'Автономна Республіка Крим',
    nameEn: 'Autonomous Republic of Crimea',
    kind: 'autonomous_republic',
    aliases: ['Crimea', 'Krym', 'Крим', 'АР Крим', 'Avtonomna Respublika Krym'],
  },
  oblast('UA-46', 'Lviv', 'Львівська', 'Львів', ['Lvivska oblast']),
  oblast('UA-48', 'Mykolaiv', 'Миколаївська', 'Миколаїв', ['Mykolaivska oblast']),
  oblast('UA-51', 'Odesa', 'Одеська', 'Одеса', ['Odessa', 'Odeska oblast']),
  oblast('UA-53', 'Poltava', 'Полтавська', 'Полтава', ['Poltavska oblast']),
  oblast('UA-56', 'Rivne', 'Рівненська', 'Рівне', ['Rivnenska oblast']),
  oblast('UA-59', 'Sumy', 'Сумська', 'Суми', ['Sumska oblast']),
  oblast('UA-61', 'Ternopil', 'Тернопільська', 'Тернопіль', ['Ternopilska oblast']),
  oblast('UA-63', 'Kharkiv', 'Харківська', 'Харків', ['Kharkivska oblast']),
  oblast('UA-65', 'Kherson', 'Херсонська', 'Херсон', ['Khersonska oblast']),
  oblast('UA-68', 'Khmelnytskyi', 'Хмельницька', 'Хмельницький', ['Khmelnytska oblast']),
  oblast('UA-71', 'Cherkasy', 'Черкаська', 'Черкаси', ['Cherkaska oblast']),
  oblast('UA-74', 'Chernivtsi', 'Чернівецька', 'Чернівці', ['Chernivetska oblast']),
  oblast('UA-77', 'Chernihiv', 'Чернігівська', 'Чернігів', ['Chernihivska oblast']),
];

/** How names are compared: case, spacing and the apostrophe's forms do not count. */
export function regionKey(name: string): string {
  return name
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/[’ʼ`']/g, "'")
    .replace(/\s+/g, ' ');
}

/**
 * The code of the region a caller named (its code, or a name in English or Ukrainian, in any case),
 * or undefined if none is recognised. `regions`: the register to look in (the shipped one by
 * default; the API passes the `regions` table). The one rule every write and query uses.
 */
export function regionCode(input: string, regions: readonly Region[] = ukraineRegions): string | undefined {
  const key = regionKey(input);
  return regions.find((r) => [r.code, r.nameUk, r.nameEn, ...r.aliases].some((n) => regionKey(n) === key))?.code;
}

/**
 * A case's state with its region as a code. Cases opened before migration 008 hold the name they
 * were opened with in their workflow history (which replays as it was); the projection, the
 * notifications and the webhooks get the code (a name it does not know stays as it is).
 */
export function withRegionCode<T extends { region: string }>(state: T): T {
  const code = regionCode(state.region);
  return code && code !== state.region ? { ...state, region: code } : state;
}
