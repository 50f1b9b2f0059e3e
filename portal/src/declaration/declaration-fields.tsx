/** The goods declaration's fields, section by section, each at the JSON path the API reports problems on. */
import { useContext } from 'react';
import type { AccountType, RegulatoryCondition } from '../api/types';
import { FieldErrors, fieldId, SelectField } from '../components/field';
import { useI18n } from '../i18n/i18n';
import { ChecksContext, CheckedLookup, CheckedText } from './checks';
import {
  countryPath,
  emptyDocument,
  emptyLine,
  portPath,
  tenDigits,
  TRANSPORT_MODES,
  type DeclarationForm,
  type Direction,
  type DocumentForm,
  type LineForm,
  type TraderForm,
  type TransportMode,
} from './declaration.model';

type Update = (change: (form: DeclarationForm) => DeclarationForm) => void;

interface FieldsProps {
  readonly form: DeclarationForm;
  readonly update: Update;
  readonly accountTypes: readonly AccountType[];
  readonly conditions: readonly RegulatoryCondition[];
}

export function DeclarationFields({ form, update, accountTypes, conditions }: FieldsProps) {
  return (
    <>
      <GeneralSection form={form} update={update} />
      <div className="two-columns">
        <TraderSection role="consignee" direction={form.direction} trader={form.consignee} update={update} />
        <TraderSection role="consignor" direction={form.direction} trader={form.consignor} update={update} />
      </div>
      <TransportSection form={form} update={update} />
      <LinesSection form={form} update={update} accountTypes={accountTypes} conditions={conditions} />
    </>
  );
}

function GeneralSection({ form, update }: { readonly form: DeclarationForm; readonly update: Update }) {
  const { t } = useI18n();
  const checks = useContext(ChecksContext);
  const set = (field: 'declarant' | 'customsOffice' | 'port' | 'country' | 'currency' | 'incoterm' | 'tradeMode') => (value: string) => update((current) => ({ ...current, [field]: value }));
  const setDirection = (direction: Direction) => {
    checks.touch('$.direction');
    update((current) => ({ ...current, direction }));
  };
  return (
    <fieldset className="card">
      <legend>{t('form.general')}</legend>
      <div className="radio-group" role="radiogroup" aria-labelledby="direction-label">
        <span id="direction-label" className="label">
          {t('form.direction')}
        </span>
        {(['import', 'export'] as const).map((direction) => (
          <label key={direction} className="radio">
            <input type="radio" name="direction" value={direction} checked={form.direction === direction} onChange={() => setDirection(direction)} />
            {t(`direction.${direction}`)}
          </label>
        ))}
      </div>
      <div className="grid">
        <CheckedText path="$.declarant" label={t('form.declarant')} hint={t('form.declarantHint')} required value={form.declarant} onValue={set('declarant')} autoComplete="off" spellCheck={false} />
        <CheckedText path="$.customsOffice" label={t('form.customsOffice')} hint={t('form.customsOfficeHint')} required inputMode="numeric" maxLength={4} value={form.customsOffice} onValue={set('customsOffice')} />
        <CheckedLookup path={portPath(form.direction)} list="locode" label={form.direction === 'import' ? t('form.portOfEntry') : t('form.portOfExit')} hint={t('form.portHint')} required value={form.port} onValue={set('port')} />
        <CheckedLookup path={countryPath(form.direction)} list="country" label={form.direction === 'import' ? t('form.countryOfDispatch') : t('form.countryOfDestination')} required value={form.country} onValue={set('country')} />
        <CheckedLookup path="$.currency" list="currency" label={t('form.currency')} required value={form.currency} onValue={set('currency')} />
        <CheckedLookup path="$.incoterm" list="incoterm" label={t('form.incoterm')} value={form.incoterm} onValue={set('incoterm')} />
        <CheckedLookup path="$.tradeMode" list="trade-mode" label={t('form.tradeMode')} hint={t('form.tradeModeHint')} value={form.tradeMode} onValue={set('tradeMode')} />
      </div>
    </fieldset>
  );
}

function TraderSection({ role, direction, trader, update }: { readonly role: 'consignee' | 'consignor'; readonly direction: Direction; readonly trader: TraderForm; readonly update: Update }) {
  const { t } = useI18n();
  const domestic = (direction === 'import') === (role === 'consignee');
  const set = (field: keyof TraderForm) => (value: string) => update((current) => ({ ...current, [role]: { ...current[role], [field]: value } }));
  const base = `$.${role}`;
  return (
    <fieldset className="card" id={fieldId(base)} tabIndex={-1}>
      <legend>{t(`form.${role}`)}</legend>
      <p className="hint">{domestic ? t('form.domesticTrader') : t('form.foreignTrader')}</p>
      <CheckedText path={`${base}.name`} label={t('form.traderName')} required value={trader.name} onValue={set('name')} />
      <CheckedText path={`${base}.id`} label={t('form.traderId')} required={domestic} value={trader.id} onValue={set('id')} spellCheck={false} autoComplete="off" />
      <CheckedLookup path={`${base}.country`} list="country" label={t('form.traderCountry')} required={!domestic} value={trader.country} onValue={set('country')} />
      <CheckedText path={`${base}.address`} label={t('form.traderAddress')} value={trader.address} onValue={set('address')} />
    </fieldset>
  );
}

function TransportSection({ form, update }: { readonly form: DeclarationForm; readonly update: Update }) {
  const { t } = useI18n();
  const checks = useContext(ChecksContext);
  const set = (field: 'vesselImo' | 'voyage' | 'billOfLading' | 'containers') => (value: string) => update((current) => ({ ...current, transport: { ...current.transport, [field]: value } }));
  return (
    <fieldset className="card" id={fieldId('$.transport')} tabIndex={-1}>
      <legend>{t('form.transport')}</legend>
      <div className="grid">
        <SelectField
          id={fieldId('$.transport.mode')}
          label={t('form.mode')}
          required
          value={form.transport.mode}
          errors={checks.errorsAt('$.transport.mode')}
          onValue={(value) => {
            checks.touch('$.transport.mode');
            const mode = TRANSPORT_MODES.find((candidate) => candidate === value) ?? 'sea';
            update((current) => ({ ...current, transport: { ...current.transport, mode } }));
          }}
          options={TRANSPORT_MODES.map((mode: TransportMode) => ({ value: mode, label: t(`mode.${mode}`) }))}
        />
        <CheckedText path="$.transport.vesselImo" label={t('form.vesselImo')} hint={t('form.vesselImoHint')} required={form.transport.mode === 'sea'} inputMode="numeric" maxLength={7} value={form.transport.vesselImo} onValue={set('vesselImo')} />
        <CheckedText path="$.transport.voyage" label={t('form.voyage')} value={form.transport.voyage} onValue={set('voyage')} />
        <CheckedText path="$.transport.billOfLading" label={t('form.billOfLading')} value={form.transport.billOfLading} onValue={set('billOfLading')} spellCheck={false} />
        <CheckedText path="$.transport.containers" nested label={t('form.containers')} hint={t('form.containersHint')} value={form.transport.containers} onValue={set('containers')} spellCheck={false} className="wide" />
      </div>
    </fieldset>
  );
}

function LinesSection({ form, update, accountTypes, conditions }: FieldsProps) {
  const { t } = useI18n();
  const checks = useContext(ChecksContext);
  const addLine = () => {
    update((current) => ({ ...current, lines: [...current.lines, emptyLine()] }));
    // The new line's first field is where the person continues.
    window.setTimeout(() => document.getElementById(fieldId(`$.lines[${form.lines.length}].hsCode`))?.focus(), 0);
  };
  return (
    <section className="card" aria-labelledby="lines-heading">
      <h2 id="lines-heading">{t('form.lines')}</h2>
      <FieldErrors id={fieldId('$.lines')} errors={checks.errorsAt('$.lines')} />
      {form.lines.map((line, index) => (
        <LineEditor key={line.key} index={index} line={line} direction={form.direction} count={form.lines.length} update={update} accountTypes={accountTypes} conditions={conditions} />
      ))}
      <button type="button" className="button secondary" onClick={addLine} disabled={form.lines.length >= 50}>
        {t('form.addLine')}
      </button>
    </section>
  );
}

interface LineEditorProps {
  readonly index: number;
  readonly line: LineForm;
  readonly direction: Direction;
  readonly count: number;
  readonly update: Update;
  readonly accountTypes: readonly AccountType[];
  readonly conditions: readonly RegulatoryCondition[];
}

function LineEditor({ index, line, direction, count, update, accountTypes, conditions }: LineEditorProps) {
  const { t, language } = useI18n();
  const checks = useContext(ChecksContext);
  const base = `$.lines[${index}]`;
  const change = (next: (line: LineForm) => LineForm) => update((current) => ({ ...current, lines: current.lines.map((item) => (item.key === line.key ? next(item) : item)) }));
  const set = (field: Exclude<keyof LineForm, 'key' | 'documents'>) => (value: string) => change((item) => ({ ...item, [field]: value }));
  const remove = () => update((current) => ({ ...current, lines: current.lines.filter((item) => item.key !== line.key) }));
  const typeName = (id: string) => {
    const type = accountTypes.find((candidate) => candidate.id === id);
    return type === undefined ? id : language === 'zh' ? type.zh : type.en;
  };
  const required = conditions.filter((condition) => line.hsCode.length >= condition.prefix.length && line.hsCode.startsWith(condition.prefix) && (condition.direction === 'both' || condition.direction === direction));
  const number = index + 1;

  return (
    <fieldset className="line" id={fieldId(base)} tabIndex={-1}>
      <legend>{t('form.line', { number })}</legend>
      <FieldErrors id={fieldId(base)} errors={checks.errorsAt(base)} />
      <div className="grid">
        <CheckedLookup path={`${base}.hsCode`} list="hs" label={t('form.hsCode')} hint={t('form.hsCodeHint')} required value={line.hsCode} onValue={set('hsCode')} pick={(entry) => tenDigits(entry.code)} />
        <CheckedText path={`${base}.description`} label={t('form.description')} required value={line.description} onValue={set('description')} className="wide" />
        <CheckedText path={`${base}.quantity`} label={t('form.quantity')} required inputMode="decimal" value={line.quantity} onValue={set('quantity')} />
        <CheckedLookup path={`${base}.unit`} list="unit" label={t('form.unit')} required value={line.unit} onValue={set('unit')} />
        <CheckedText path={`${base}.grossWeightKg`} label={t('form.grossWeight')} inputMode="decimal" value={line.grossWeightKg} onValue={set('grossWeightKg')} />
        <CheckedText path={`${base}.netWeightKg`} label={t('form.netWeight')} required inputMode="decimal" value={line.netWeightKg} onValue={set('netWeightKg')} />
        <CheckedText path={`${base}.value`} label={t('form.value')} required inputMode="decimal" value={line.value} onValue={set('value')} />
        <CheckedLookup path={`${base}.originCountry`} list="country" label={t('form.originCountry')} required value={line.originCountry} onValue={set('originCountry')} />
      </div>
      <DocumentsEditor base={base} line={line} number={number} change={change} accountTypes={accountTypes} typeName={typeName} direction={direction} />
      {required.length > 0 && (
        <p className="hint conditions">
          {t('form.conditions')} {required.map((condition) => condition.requires.map(typeName).join(t('form.or'))).join('; ')}
        </p>
      )}
      {count > 1 && (
        <button type="button" className="button link danger" onClick={remove}>
          {t('form.removeLine', { number })}
        </button>
      )}
    </fieldset>
  );
}

interface DocumentsEditorProps {
  readonly base: string;
  readonly line: LineForm;
  readonly number: number;
  readonly direction: Direction;
  readonly change: (next: (line: LineForm) => LineForm) => void;
  readonly accountTypes: readonly AccountType[];
  readonly typeName: (id: string) => string;
}

/** Licences and certificates cited on a line (ledger accounts by type and number), verified by the API. */
function DocumentsEditor({ base, line, number, direction, change, accountTypes, typeName }: DocumentsEditorProps) {
  const { t } = useI18n();
  const checks = useContext(ChecksContext);
  const path = `${base}.documents`;
  const setDocument = (key: string, field: 'type' | 'number', value: string) =>
    change((item) => ({ ...item, documents: item.documents.map((document) => (document.key === key ? { ...document, [field]: value } : document)) }));
  const options = [{ value: '', label: t('form.documentTypeChoose') }, ...accountTypes.filter((type) => type.directions.includes(direction)).map((type) => ({ value: type.id, label: typeName(type.id) }))];
  const add = () => {
    change((item) => ({ ...item, documents: [...item.documents, emptyDocument()] }));
    window.setTimeout(() => document.getElementById(fieldId(`${path}[${line.documents.length}].type`))?.focus(), 0);
  };
  return (
    <div className="documents" role="group" aria-labelledby={`${fieldId(path)}-label`}>
      <p className="label" id={`${fieldId(path)}-label`}>
        {t('form.documents', { number })}
      </p>
      <FieldErrors id={fieldId(path)} errors={checks.errorsAt(path)} />
      {line.documents.map((reference: DocumentForm, index) => {
        const at = `${path}[${index}]`;
        const withCurrent = options.some((option) => option.value === reference.type) ? options : [...options, { value: reference.type, label: reference.type }];
        return (
          <div className="document-row" key={reference.key}>
            <FieldErrors id={fieldId(at)} errors={checks.errorsAt(at)} />
            <SelectField
              id={fieldId(`${at}.type`)}
              label={t('form.documentType')}
              value={reference.type}
              errors={checks.errorsAt(`${at}.type`)}
              onValue={(value) => {
                checks.touch(`${at}.type`);
                setDocument(reference.key, 'type', value);
              }}
              options={withCurrent}
            />
            <CheckedText path={`${at}.number`} label={t('form.documentNumber')} value={reference.number} onValue={(value) => setDocument(reference.key, 'number', value.toUpperCase())} spellCheck={false} autoComplete="off" />
            <button type="button" className="button link danger" onClick={() => change((item) => ({ ...item, documents: item.documents.filter((document) => document.key !== reference.key) }))}>
              {t('form.removeDocument')}
            </button>
          </div>
        );
      })}
      <button type="button" className="button secondary small" onClick={add}>
        {t('form.addDocument')}
      </button>
    </div>
  );
}
