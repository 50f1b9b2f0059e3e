import Type, { type Static } from 'typebox';

const Names = Type.Object({ en: Type.String(), zh: Type.String() }, { additionalProperties: false });

/** One list as `GET /api/v1/codes` (and `kouan codes status`) shows it. */
export const CodeListStatusSchema = Type.Object(
  {
    list: Type.String({ description: 'The id to search (`GET /api/v1/codes/{list}`), to name in `x-code-list` and to import (`kouan codes import <list> FILE`)' }),
    title: Names,
    kind: Type.Union([Type.Literal('built-in'), Type.Literal('store'), Type.Literal('special')], {
      description: 'built-in: compiled into Kouan, always loaded; store: imported by an operator into the generic table; special: imported, with tables and checks of its own (hs, locode, tariff, customs-offices)',
    }),
    loaded: Type.Boolean({ description: 'false: not imported yet, so its codes are checked by shape only (a notice says so)' }),
    entries: Type.Integer(),
    source: Type.String({ description: '"built in", "not imported", or the name of the imported file' }),
    importedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type CodeListStatus = Static<typeof CodeListStatusSchema>;

export const CodeListsSchema = Type.Object({ lists: Type.Array(CodeListStatusSchema) }, { additionalProperties: false });
