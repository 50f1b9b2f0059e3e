/** Labels in the schema: every property, and every value of an enum, in both languages. */
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { enumLabelled, labelled, unlabelled } from './labels.js';

describe('unlabelled', () => {
  it('names properties without both labels and enum values without both labels', () => {
    const schema = Type.Object({
      named: labelled(Type.String(), { en: 'Named', zh: '已命名' }),
      bare: Type.String(),
      mode: labelled(enumLabelled(Type.Enum(['sea', 'air', 'rail']), { sea: { en: 'Sea', zh: '水路运输' }, air: { en: 'Air', zh: '' } }), { en: 'Mode', zh: '运输方式' }),
      list: labelled(Type.Array(Type.Object({ kind: labelled(Type.Enum(['a']), { en: 'Kind', zh: '种类' }) })), { en: 'List', zh: '清单' }),
    });
    expect(unlabelled(schema)).toEqual(['$.bare', '$.mode=air', '$.mode=rail', '$.list[].kind=a']);
  });
});
