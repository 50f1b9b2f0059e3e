export interface CodeListTable {
  list: string;
  source: string;
  entries: number;
  imported_at: string;
}

export interface HsCodeTable {
  code: string;
  description: string;
  parent: string | null;
  level: number;
}

export interface LocodeTable {
  code: string;
  country: string;
  name: string;
  subdivision: string | null;
  functions: string;
  status: string | null;
}

export interface TariffLineTable {
  code: string;
  chapter: string;
  name_zh: string;
  name_en: string;
  unit1: string;
  unit2: string | null;
  declaration_elements: string;
  /** JSON object of the file's rate columns, as text. */
  rates: string;
}

export interface CustomsOfficeTable {
  code: string;
  name_zh: string;
  district: string;
}

/** An entry of a store-backed code list (trade modes, levy natures ...); `extra` is a JSON object of text. */
export interface CodeListEntryTable {
  list: string;
  code: string;
  en: string;
  zh: string;
  extra: string;
}

/** The codes module's tables: imported code lists and their entries. Only the module's repositories touch them. */
export interface CodesTables {
  code_lists: CodeListTable;
  hs_codes: HsCodeTable;
  locodes: LocodeTable;
  tariff_lines: TariffLineTable;
  customs_offices: CustomsOfficeTable;
  code_list_entries: CodeListEntryTable;
}
