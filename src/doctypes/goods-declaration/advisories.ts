/** The goods declaration's checks against imported reference data: notices, never errors. */
import { cnUnit } from '../../modules/codes/index.js';
import type { AdvisoryRule, Notice } from '../../modules/doctypes/doctype.js';
import { arr, obj, str } from '../../modules/doctypes/loose.js';
import { borderPortField } from './rules.js';

/** UN/LOCODE function classifier positions that fit each transport mode (a border crossing, B, serves road and rail). */
const FUNCTIONS_FOR_MODE: Readonly<Record<string, readonly string[]>> = {
  sea: ['1'],
  rail: ['2', 'B'],
  road: ['3', 'B'],
  air: ['4'],
  post: ['5'],
  multimodal: ['6'],
};

export const advisories: readonly AdvisoryRule[] = [
  {
    id: 'port-function-for-mode',
    description: {
      en: 'The border port is listed in UN/LOCODE with a function for the transport mode (1 sea port, 2 rail, 3 road, 4 airport, 5 postal, 6 multimodal, B border crossing for road and rail); a notice otherwise, since the trade uses some codes beyond their listed functions.',
      zh: '口岸在 UN/LOCODE 中的功能代码应与运输方式相符（1 港口、2 铁路、3 公路、4 机场、5 邮局、6 多式联运、B 边境口岸适用于公路和铁路）；不符时仅作提示，因部分代码按惯例用于其他运输方式。',
    },
    notices: ['PORT_FUNCTION_MISMATCH'],
    advise(document, references) {
      const field = borderPortField(document);
      const port = field === undefined ? undefined : str(document[field]);
      const mode = str(obj(document.transport)?.mode);
      const fitting = mode === undefined ? undefined : FUNCTIONS_FOR_MODE[mode];
      const place = port === undefined ? undefined : references.place(port);
      // A classifier of 0 says the functions are not known: nothing to compare.
      if (field === undefined || place === undefined || fitting === undefined || place.functions.includes('0')) return [];
      if (fitting.some((position) => place.functions.includes(position))) return [];
      return [{ code: 'PORT_FUNCTION_MISMATCH', path: `$.${field}`, params: { value: port ?? '', mode: mode ?? '', functions: place.functions } }];
    },
  },
  {
    id: 'statutory-units',
    description: {
      en: "Where a national tariff is loaded, each line's quantity is given in the tariff line's statutory units (法定计量单位): kilograms are met by the net weight, other units by the line's unit; a notice otherwise.",
      zh: '已导入税则时，商品项数量应以该税号的法定计量单位申报：千克以净重满足，其他单位以商品项的计量单位满足；不符时仅作提示。',
    },
    notices: ['STATUTORY_UNIT_NOT_DECLARED'],
    advise(document, references) {
      return arr(document.lines).flatMap((value, index): Notice[] => {
        const line = obj(value);
        const hsCode = str(line?.hsCode);
        const declared = str(line?.unit);
        const tariffLine = hsCode === undefined ? undefined : references.tariffLine(hsCode);
        if (tariffLine === undefined || declared === undefined) return [];
        return [tariffLine.unit1, tariffLine.unit2].flatMap((code, position): Notice[] => {
          // Every goods line carries its net weight in kilograms: a statutory kilogram is always declared.
          if (code === null || code === '035') return [];
          const unit = cnUnit(code);
          if (unit === undefined || unit.rec20.includes(declared)) return [];
          return [{ code: 'STATUTORY_UNIT_NOT_DECLARED', path: `$.lines[${index}].unit`, params: { hsCode: tariffLine.code, unit: `${unit.zh} (${code})`, position: position + 1, declared } }];
        });
      });
    },
  },
];

