/** The exhibition filing's cross-field rules: the event's dates, item numbers, what the guarantee needs. */
import type { FieldError } from '../../shared/errors.js';
import type { CrossFieldRule } from '../../modules/doctypes/doctype.js';
import { duplicateItemNumbers, obj, str } from '../../modules/doctypes/loose.js';

export const rules: readonly CrossFieldRule[] = [
  {
    id: 'event-period',
    description: { en: 'The event closes on or after the day it opens.', zh: '展会闭幕日期不得早于开幕日期。' },
    codes: ['EVENT_PERIOD_INVALID'],
    check(document) {
      const event = obj(document.event);
      const opensOn = str(event?.opensOn);
      const closesOn = str(event?.closesOn);
      return opensOn !== undefined && closesOn !== undefined && closesOn < opensOn ? [{ path: '$.event.closesOn', code: 'EVENT_PERIOD_INVALID', params: { opensOn } }] : [];
    },
  },
  {
    id: 'item-numbers-unique',
    description: { en: 'Each exhibit has its own number.', zh: '展览品序号不得重复。' },
    codes: ['ITEM_NUMBER_DUPLICATE'],
    check(document) {
      return duplicateItemNumbers(document, 'exhibits');
    },
  },
  {
    id: 'guarantee',
    description: {
      en: 'An ATA carnet guarantee names the carnet; a deposit or bank guarantee states its amount; nothing else is given.',
      zh: '以 ATA 单证册担保须填单证册号；以保证金或保函担保须填担保金额；不填其他项。',
    },
    codes: ['FIELD_REQUIRED', 'FIELD_UNKNOWN'],
    check(document) {
      const guarantee = obj(document.guarantee);
      const kind = str(guarantee?.kind);
      if (guarantee === undefined || kind === undefined) return [];
      const needed = kind === 'ata-carnet' ? 'carnetNumber' : 'amount';
      const other = kind === 'ata-carnet' ? 'amount' : 'carnetNumber';
      const errors: FieldError[] = [];
      if (guarantee[needed] === undefined) errors.push({ path: `$.guarantee.${needed}`, code: 'FIELD_REQUIRED' });
      if (guarantee[other] !== undefined) errors.push({ path: `$.guarantee.${other}`, code: 'FIELD_UNKNOWN', params: { field: other } });
      return errors;
    },
  },
];
