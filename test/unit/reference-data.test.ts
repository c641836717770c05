import { katottgRegion, parseHromadaCsv, seedHromadas } from '../../domain/hromadas';
import { regionCode, regionKey, ukraineRegions, withRegionCode } from '../../domain/regions';

describe("Ukraine's regions", () => {
  it('are the 24 oblasts, Crimea, Kyiv and Sevastopol, by ISO 3166-2:UA code', () => {
    expect(ukraineRegions).toHaveLength(27);
    expect(new Set(ukraineRegions.map((r) => r.code)).size).toBe(27);
    expect(ukraineRegions.every((r) => /^UA-\d{2}$/.test(r.code))).toBe(true);
    expect(ukraineRegions.filter((r) => r.kind === 'oblast')).toHaveLength(24);
    expect(ukraineRegions.filter((r) => r.kind !== 'oblast').map((r) => [r.code, r.nameEn])).toEqual([
      ['UA-30', 'Kyiv'],
      ['UA-40', 'Sevastopol'],
      ['UA-43', 'Autonomous Republic of Crimea'],
    ]);
    expect(ukraineRegions[0]).toMatchObject({ code: 'UA-05', nameEn: 'Vinnytsia Oblast', nameUk: 'Вінницька область' });
  });

  it('are found by code or by a name in English or Ukrainian, in any case', () => {
    for (const input of [
      'UA-63',
      'ua-63',
      'Kharkiv',
      'kharkiv',
      ' KHARKIV  OBLAST ',
      'Харківська область',
      'харківська',
      'Харків',
    ])
      expect([input, regionCode(input)]).toEqual([input, 'UA-63']);
    expect(regionCode('Kyiv')).toBe('UA-30');
    expect(regionCode('Київ')).toBe('UA-30');
    expect(regionCode('Kyiv Oblast')).toBe('UA-32');
    expect(regionCode('Київська область')).toBe('UA-32');
    expect(regionCode('Crimea')).toBe('UA-43');
    expect(regionCode('Севастополь')).toBe('UA-40');
    expect(regionCode('Zaporizhzhia')).toBe('UA-23');
    for (const unknown of ['Atlantis', 'UA-99', 'Kharkiv-1', '']) expect(regionCode(unknown)).toBeUndefined();
  });

  it('never give one name to two regions', () => {
    const owner = new Map<string, string>();
    for (const r of ukraineRegions) {
      for (const name of [r.code, r.nameUk, r.nameEn, ...r.aliases]) {
        const key = regionKey(name);
        expect([name, owner.get(key) ?? r.code]).toEqual([name, r.code]);
        owner.set(key, r.code);
      }
    }
  });

  it("turn a state's region name into its code, and leave an unknown one as it is", () => {
    expect(withRegionCode({ region: 'Kharkiv', seq: 1 })).toEqual({ region: 'UA-63', seq: 1 });
    const unknown = { region: 'Restart' };
    expect(withRegionCode(unknown)).toBe(unknown);
  });
});

describe('hromadas', () => {
  it('lie in the region their KATOTTG code names', () => {
    expect(katottgRegion('UA63120270000028556')).toBe('UA-63');
    expect(katottgRegion('UA80000000000093317')).toBe('UA-30');
    expect(katottgRegion('UA01000000000013043')).toBe('UA-43');
    expect(katottgRegion('UA99000000000000000')).toBeUndefined();
    for (const h of seedHromadas) expect(katottgRegion(h.katottg)).toBe(h.region);
  });

  it('are read from CSV with a BOM, quotes and semicolons, each bad line reported with why', () => {
    const csv =
      '\uFEFFkatottg;name_uk;name_en;kind;region\r\n' +
      'ua63040090000021240;"Ізюмська міська; громада";"Izium ""urban"" hromada";urban;Kharkiv\r\n' +
      'UA6304;Коротка;Short;rural;\r\n' +
      'UA63100050000079487;Лозівська;Lozova;urban;Lviv\r\n' +
      '\r\n' +
      'UA63120290000021734;Циркунівська;Tsyrkuny;village;\n';
    const { rows, errors, headerErrors } = parseHromadaCsv(csv);
    expect(headerErrors).toEqual([]);
    expect(rows).toEqual([
      {
        katottg: 'UA63040090000021240',
        region: 'UA-63',
        nameUk: 'Ізюмська міська; громада',
        nameEn: 'Izium "urban" hromada',
        kind: 'urban',
      },
    ]);
    expect(errors).toEqual([
      { line: 3, katottg: undefined, errors: [{ column: 'katottg', message: 'a KATOTTG code: UA and 17 digits' }] },
      {
        line: 4,
        katottg: 'UA63100050000079487',
        errors: [{ column: 'region', message: 'the code lies in UA-63, not UA-46' }],
      },
      { line: 6, katottg: 'UA63120290000021734', errors: [expect.objectContaining({ column: 'kind' })] },
    ]);
  });

  it('need a header naming the columns', () => {
    expect(parseHromadaCsv('code,name\nUA63040090000021240,Izium\n').headerErrors).toEqual([
      'missing column katottg',
      'missing column name_uk',
      'missing column name_en',
      'missing column kind',
    ]);
  });
});
