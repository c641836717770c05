import {
  documentKeys,
  jaroWinkler,
  nameKey,
  nameSimilarity,
  phoneKey,
  possibleDuplicateThreshold,
  scoreMatch,
  transliterate,
} from '../../domain/person-matching';

describe('transliteration (CMU resolution No. 55 of 2010)', () => {
  it('spells names and places as the resolution does', () => {
    expect(transliterate('Олександр Шевченко')).toBe('Oleksandr Shevchenko');
    // Examples from the resolution's own table.
    const examples: [string, string][] = [
      ['Алушта', 'Alushta'],
      ['Згорани', 'Zghorany'],
      ['Розгон', 'Rozghon'],
      ['Гаєвич', 'Haievych'],
      ['Єнакієве', 'Yenakiieve'],
      ['Їжакевич', 'Yizhakevych'],
      ['Кадиївка', 'Kadyivka'],
      ['Йосипівка', 'Yosypivka'],
      ['Стрий', 'Stryi'],
      ['Олексій', 'Oleksii'],
      ['Юрій', 'Yurii'],
      ['Корюківка', 'Koriukivka'],
      ['Яготин', 'Yahotyn'],
      ['Костянтин', 'Kostiantyn'],
      ["Знам'янка", 'Znamianka'],
      ['Феодосія', 'Feodosiia'],
      ['Щербухи', 'Shcherbukhy'],
      ['Гоща', 'Hoshcha'],
      ['Ґорґани', 'Gorgany'],
      ['Русь', 'Rus'],
      ['Львів', 'Lviv'],
      ['Мар’їне', 'Marine'],
      ['Короп’є', 'Koropie'],
      ['Хуст', 'Khust'],
      ['Цюрупинськ', 'Tsiurupynsk'],
    ];
    for (const [uk, latin] of examples) expect([uk, transliterate(uk)]).toEqual([uk, latin]);
  });

  it('writes Ю, Я, Є, Ї one way at the start of a word and another inside it', () => {
    expect(transliterate('Юлія Яковенко')).toBe('Yuliia Yakovenko');
    expect(transliterate('Євгенія Їжак')).toBe('Yevheniia Yizhak');
    expect(transliterate('Тетяна Мазепа-Ющенко')).toBe('Tetiana Mazepa-Yushchenko');
    expect(transliterate('Ілля Андрієнко')).toBe('Illia Andriienko');
  });

  it('drops the soft sign and apostrophes, and keeps capitals', () => {
    expect(transliterate('Василь Гаврильченко')).toBe('Vasyl Havrylchenko');
    expect(transliterate("Дар’я Мар'яненко")).toBe('Daria Marianenko');
    expect(transliterate('ЩУКА')).toBe('SHCHUKA');
    expect(transliterate('Ivan Petrenko')).toBe('Ivan Petrenko');
  });
});

describe('keys', () => {
  it('gives a name one key across scripts, case, apostrophes and spacing', () => {
    expect(nameKey('Іван Петренко')).toBe('ivan petrenko');
    expect(nameKey('  IVAN   petrenko ')).toBe('ivan petrenko');
    expect(nameKey("Дар'я")).toBe(nameKey('Daria'));
    expect(nameKey('Renée Müller')).toBe('renee muller');
  });

  it('reads a phone number as international digits, Ukraine assumed', () => {
    for (const p of ['+380 67 123 45 67', '067-123-45-67', '(067) 123 4567', '80671234567', '671234567'])
      expect([p, phoneKey(p)]).toEqual([p, '380671234567']);
    expect(phoneKey('+48 601 234 567')).toBe('48601234567');
  });

  it('keys documents by type and number without spaces or dashes', () => {
    expect(
      documentKeys([
        { type: 'rnokpp', number: '30123 45678' },
        { type: 'passport', number: 'кв 123456' },
      ]),
    ).toEqual(['rnokpp:3012345678', 'passport:КВ123456']);
  });
});

describe('name similarity', () => {
  it('is 1 for the same name in either script or word order', () => {
    expect(nameSimilarity('Олександр Шевченко', 'Oleksandr Shevchenko')).toBe(1);
    expect(nameSimilarity('Шевченко Олександр', 'Oleksandr Shevchenko')).toBe(1);
    expect(nameSimilarity('Олена Коваль', 'Olena Koval')).toBe(1);
  });

  it('is high for spelling variants and a patronymic on one side, lower for another surname', () => {
    expect(nameSimilarity('Oleksiy Bondar', 'Олексій Бондар')).toBeGreaterThan(0.9);
    expect(nameSimilarity('Шевченко Олександр Петрович', 'Oleksandr Shevchenko')).toBeGreaterThan(0.9);
    expect(nameSimilarity('Іван Петренко', 'Ivan Petruk')).toBeLessThan(
      nameSimilarity('Іван Петренко', 'Ivan Petrenko'),
    );
    expect(nameSimilarity('Іван Петренко', 'Марія Коваленко')).toBeLessThan(0.8);
  });

  it('computes Jaro-Winkler as published (MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.84)', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });
});

describe('scoreMatch', () => {
  const ivan = { fullName: 'Ivan Petrenko', birthDate: '1984-03-12', documents: [] };

  it('scores "Ivan Petrenko" and "Іван Петренко" born the same day high, with the reasons', () => {
    const m = scoreMatch(ivan, { fullName: 'Іван Петренко', birthDate: '1984-03-12', documents: [] });
    expect(m.score).toBeGreaterThanOrEqual(0.8);
    expect(m.reasons).toEqual([
      { field: 'name', outcome: 'same', similarity: 1 },
      { field: 'birthDate', outcome: 'same' },
    ]);
  });

  it('lowers the score below the listing threshold when the birth dates differ', () => {
    const same = scoreMatch(ivan, { fullName: 'Іван Петренко', birthDate: '1984-03-12', documents: [] }).score;
    const other = scoreMatch(ivan, { fullName: 'Іван Петренко', birthDate: '1991-07-30', documents: [] });
    expect(other.score).toBeLessThan(same);
    expect(other.score).toBeLessThan(possibleDuplicateThreshold);
    expect(other.reasons).toContainEqual({ field: 'birthDate', outcome: 'different' });
  });

  it('adds the phone, and says nothing for a field one side lacks', () => {
    const withPhone = scoreMatch(
      { ...ivan, phone: '067 123 45 67' },
      { fullName: 'Іван Петренко', birthDate: '1984-03-12', phone: '+380671234567', documents: [] },
    );
    expect(withPhone.score).toBe(1);
    expect(
      scoreMatch({ fullName: 'Ivan Petrenko', documents: [] }, { fullName: 'Іван Петренко', documents: [] }).score,
    ).toBe(0.5);
  });

  it('makes an equal document number a strong match, and a different RNOKPP a different person', () => {
    const sameDoc = scoreMatch(
      { fullName: 'I. Petrenko', documents: [{ type: 'idp_certificate', number: '6301-7001234567' }] },
      { fullName: 'Іван Петренко', documents: [{ type: 'idp_certificate', number: '63017001234567' }] },
    );
    expect(sameDoc.score).toBeGreaterThanOrEqual(0.95);
    expect(sameDoc.reasons).toContainEqual({ field: 'document', outcome: 'same', documentType: 'idp_certificate' });
    const otherTaxNumber = scoreMatch(
      { ...ivan, documents: [{ type: 'rnokpp', number: '3012345678' }] },
      { fullName: 'Іван Петренко', birthDate: '1984-03-12', documents: [{ type: 'rnokpp', number: '3099999999' }] },
    );
    expect(otherTaxNumber.score).toBeLessThanOrEqual(0.1);
    expect(otherTaxNumber.reasons).toContainEqual({ field: 'document', outcome: 'different', documentType: 'rnokpp' });
  });

  it('is symmetric and between 0 and 1', () => {
    const a = {
      fullName: 'Юлія Яковенко',
      birthDate: '1990-01-01',
      phone: '0501112233',
      documents: [{ type: 'rnokpp' as const, number: '3300000001' }],
    };
    const b = {
      fullName: 'Yuliia Yakovenko',
      birthDate: '1990-01-01',
      phone: '+380501112233',
      documents: [{ type: 'rnokpp' as const, number: '3300000001' }],
    };
    expect(scoreMatch(a, b).score).toBe(scoreMatch(b, a).score);
    expect(scoreMatch(a, b).score).toBe(1);
    expect(scoreMatch(a, { fullName: 'Петро Іваненко', documents: [] }).score).toBe(0);
  });
});
